import type { Queryable } from "../db/db.js";

export interface ClusterRow {
  id: string;
  cluster_id: string;
  created_at: Date;
  plates: string[];
  descriptors: string[];
  place_lat: number | null;
  place_lon: number | null;
}

/** Statements of tip clustering; the rows they write are the sightings' own derived columns (sql/024). */
export const tipQueries = {
  /** One clustering at a time per alert, so that two tips arriving together see each other. */
  lockAlert: (db: Queryable, alertId: string) =>
    db.query("SELECT pg_advisory_xact_lock(hashtextextended('tips:' || $1::text, 0))", [alertId]),

  alert: (db: Queryable, alertId: string) =>
    db.query<{ texts: unknown; center_lat: number; center_lon: number }>(
      "SELECT texts, center_lat, center_lon FROM alerts WHERE id = $1",
      [alertId],
    ),

  /** The caller's location the alert targeted: of their locations, the one nearest the incident. */
  targetedLocation: (db: Queryable, participantId: string, lat: number, lon: number) =>
    db.query<{ lat: number; lon: number }>(
      `SELECT lat, lon FROM participant_locations WHERE participant_id = $1
        ORDER BY (lat - $2) ^ 2 + ((lon - $3) * cos(radians($2))) ^ 2 LIMIT 1`,
      [participantId, lat, lon],
    ),

  earlier: (db: Queryable, alertId: string, sightingId: string) =>
    db.query<ClusterRow>(
      `SELECT id, cluster_id, created_at, plates, descriptors, place_lat, place_lon FROM sightings
        WHERE alert_id = $1 AND id <> $2 AND cluster_id IS NOT NULL`,
      [alertId, sightingId],
    ),

  setFeatures: (
    db: Queryable,
    id: string,
    f: {
      clusterId: string;
      plates: string[];
      namesAlertPlate: boolean;
      descriptors: string[];
      lat: number | null;
      lon: number | null;
    },
  ) =>
    db.query(
      `UPDATE sightings SET cluster_id = $2, plates = $3, names_alert_plate = $4, descriptors = $5,
              place_lat = $6, place_lon = $7 WHERE id = $1`,
      [id, f.clusterId, f.plates, f.namesAlertPlate, f.descriptors, f.lat, f.lon],
    ),

  merge: (db: Queryable, alertId: string, from: string[], into: string) =>
    db.query("UPDATE sightings SET cluster_id = $3 WHERE alert_id = $1 AND cluster_id = ANY ($2::uuid[])", [
      alertId,
      from,
      into,
    ]),

  clusterSummary: (db: Queryable, alertId: string, clusterId: string) =>
    db.query<{ count: number; plates: string[]; names_alert_plate: boolean }>(
      `SELECT count(*)::int AS count,
              coalesce(array_agg(DISTINCT p) FILTER (WHERE p IS NOT NULL), '{}') AS plates,
              bool_or(names_alert_plate) AS names_alert_plate
         FROM sightings LEFT JOIN LATERAL unnest(plates) p ON true
        WHERE alert_id = $1 AND cluster_id = $2`,
      [alertId, clusterId],
    ),
};
