import { prepared, type Queryable } from "../db/db.js";
import { LIVE_FOR_PURPOSE } from "./transitions.js";

export interface HeldDelivery {
  id: number;
  alert_id: string;
  purpose: "alert" | "closing" | "update";
}

/**
 * Due work for one channel, shared per police unit: urgent first; then round robin over the units with work, each
 * unit's next by rank (alerts of one unit interleave by rank). `$5` is how many this instance took before: the
 * turn goes on where the last batch ended, so no unit is always first for the remainder of a batch. The alerts
 * with waiting work come from a skip scan of deliveries_due_by_alert, and each alert's head from the same index:
 * the cost grows with the number of such alerts, not with their size. Held under a lease for this instance: not a
 * status change (a held delivery stays `pending` until the take).
 */
const holdStatement = prepared(
  "dispatch-hold",
  `WITH RECURSIVE waiting AS (
     (SELECT alert_id FROM deliveries WHERE status = 'pending' ORDER BY alert_id LIMIT 1)
     UNION ALL
     SELECT (SELECT d.alert_id FROM deliveries d WHERE d.status = 'pending' AND d.alert_id > w.alert_id
              ORDER BY d.alert_id LIMIT 1)
       FROM waiting w WHERE w.alert_id IS NOT NULL),
   heads AS (
     SELECT h.id, h.urgent, h.rank, h.next_attempt_at, a.region_code
       FROM waiting w JOIN alerts a ON a.id = w.alert_id
      CROSS JOIN LATERAL (
            SELECT d.id, d.urgent, d.rank, d.next_attempt_at FROM deliveries d
             WHERE d.alert_id = a.id AND d.channel = $1 AND d.status = 'pending' AND d.next_attempt_at <= now()
               AND ${LIVE_FOR_PURPOSE}
             ORDER BY d.urgent DESC, d.rank, d.next_attempt_at
             LIMIT $3
               FOR UPDATE OF d SKIP LOCKED) h),
   units AS (
     SELECT region_code, urgent, row_number() OVER (PARTITION BY urgent ORDER BY region_code) - 1 AS idx,
            count(*) OVER (PARTITION BY urgent) AS n
       FROM (SELECT DISTINCT region_code, urgent FROM heads) u),
   turns AS (
     SELECT h.id, h.urgent,
            (row_number() OVER (PARTITION BY h.region_code, h.urgent ORDER BY h.rank, h.next_attempt_at, h.id) - 1)
              * u.n
              + ((u.idx - $5::bigint) % u.n + u.n) % u.n AS turn
       FROM heads h JOIN units u USING (region_code, urgent))
   UPDATE deliveries d SET lease_owner = $2, lease_expires_at = now() + $4 * interval '1 millisecond',
          next_attempt_at = now() + $4 * interval '1 millisecond'
     FROM (SELECT id, urgent, turn FROM turns ORDER BY urgent DESC, turn LIMIT $3) t
    WHERE d.id = t.id
   RETURNING d.id, d.alert_id, d.purpose, t.urgent, t.turn`,
);

export const holdQueries = {
  hold: async (db: Queryable, channel: string, owner: string, limit: number, leaseMs: number, served: number) => {
    const rows = (
      await db.query<HeldDelivery & { urgent: boolean; turn: number }>(holdStatement, [
        channel,
        owner,
        limit,
        leaseMs,
        served,
      ])
    ).rows;
    // RETURNING keeps no order: the slots go out in turn.
    rows.sort((a, b) => Number(b.urgent) - Number(a.urgent) || Number(a.turn) - Number(b.turn));
    return rows.map(({ id, alert_id, purpose }) => ({ id, alert_id, purpose }));
  },
};
