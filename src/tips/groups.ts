import type { Queryable } from "../db/db.js";
import { sightingQueries, type SightingRow } from "../sightings/queries.js";
import { coarsePlace } from "./related.js";

interface GroupRow {
  cluster_id: string;
  count: number;
  first_at: Date;
  last_at: Date;
  names_alert_plate: boolean;
  lat: number | null;
  lon: number | null;
  plates: string[];
  sighting_ids: string[];
}

const groupsOf = `
  WITH agg AS (
    SELECT coalesce(cluster_id, id) AS cluster_id, count(*)::int AS count, min(created_at) AS first_at,
           max(created_at) AS last_at, bool_or(names_alert_plate) AS names_alert_plate,
           avg(place_lat) AS lat, avg(place_lon) AS lon,
           array_agg(id::text ORDER BY created_at DESC, id DESC) AS sighting_ids
      FROM sightings WHERE alert_id = $1 GROUP BY 1),
  named AS (
    SELECT coalesce(cluster_id, id) AS cluster_id, array_agg(DISTINCT p ORDER BY p) AS plates
      FROM sightings, unnest(plates) p WHERE alert_id = $1 GROUP BY 1)
  SELECT agg.*, coalesce(named.plates, '{}') AS plates
    FROM agg LEFT JOIN named USING (cluster_id)
   ORDER BY last_at DESC, cluster_id LIMIT $2`;

/**
 * An alert's tips in groups of related tips, the group with the latest tip first: how many, the newest tip, the
 * plates named, whether one names the alert's own plate, and the middle of its callers' places (on the grid).
 */
export async function tipGroups<T>(db: Queryable, alertId: string, limit: number, present: (row: SightingRow) => T) {
  const groups = (await db.query<GroupRow>(groupsOf, [alertId, limit])).rows;
  const newestIds = groups.map((g) => g.sighting_ids[0]);
  const newest = new Map((await sightingQueries.byIds(db, newestIds)).rows.map((r) => [r.id, r]));
  return {
    newestIds,
    groups: groups.map((g) => ({
      clusterId: g.cluster_id,
      count: g.count,
      firstAt: g.first_at.toISOString(),
      lastAt: g.last_at.toISOString(),
      plates: g.plates,
      namesAlertPlate: g.names_alert_plate,
      place: g.lat === null || g.lon === null ? null : coarsePlace(g.lat, g.lon),
      sightingIds: g.sighting_ids,
      newest: present(newest.get(g.sighting_ids[0])!),
    })),
  };
}
