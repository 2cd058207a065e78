import type { Queryable } from "../db/db.js";
import type { AlertRow } from "./queries.js";
import { liveStatusSql } from "./states.js";

/** Writes of widening (sql/020): the area grows, its first centre stays (distances and order are from it). */
export const widenQueries = {
  setArea: (db: Queryable, id: string, area: object, polygons: unknown, widening: object) =>
    db.query(
      `UPDATE alerts SET area = $2, area_polygon = $3, widened = widened + 1,
              targeting = jsonb_set(targeting, '{widenings}', coalesce(targeting -> 'widenings', '[]') || $4::jsonb)
        WHERE id = $1`,
      [id, JSON.stringify(area), polygons ? JSON.stringify(polygons) : null, JSON.stringify([widening])],
    ),

  /** Live alerts whose escalation is due at `now` and not yet decided. */
  escalationsDue: (db: Queryable, now: Date) =>
    db.query<{ id: string }>(
      `SELECT a.id FROM alerts a
        WHERE a.escalation IS NOT NULL AND a.escalation_checked_at IS NULL AND ${liveStatusSql("a")}
          AND a.dispatch_started_at + ((a.escalation ->> 'afterMinutes')::int * interval '1 minute') <= $1
        ORDER BY a.created_at LIMIT 20`,
      [now],
    ),

  /** The escalation was decided (widened or not): it never runs again for this alert. */
  escalationChecked: (db: Queryable, id: string, now: Date, outcome: object) =>
    db.query<AlertRow>(
      `UPDATE alerts SET escalation_checked_at = $2,
              targeting = jsonb_set(targeting, '{escalation}', $3::jsonb)
        WHERE id = $1 AND escalation_checked_at IS NULL RETURNING *`,
      [id, now, JSON.stringify(outcome)],
    ),
};
