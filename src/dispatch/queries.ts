import { alertQueries } from "../alerts/queries.js";
import { prepared, type Queryable } from "../db/db.js";
import { endingTransitions } from "../deliveries/ending.js";
import { ivrStepQueries } from "../ivr/step-queries.js";

// Run per call (or per batch, and again for each request that misses its slot): prepared once per connection.
const reserveStatement = prepared(
  "dispatch-reserve-slots",
  `WITH cur AS (
     SELECT greatest(next_slot, clock_timestamp() + $4::float8 * interval '1 millisecond') AS start, clock_timestamp() AS now
       FROM pace WHERE channel = $1 FOR UPDATE)
   UPDATE pace SET next_slot = cur.start + $2::float8 * $3::float8 * interval '1 millisecond' FROM cur WHERE channel = $1
   RETURNING extract(epoch FROM cur.start) * 1000 AS slot_ms, extract(epoch FROM cur.now) * 1000 AS db_now_ms`,
);

/** The shared pace (the `pace` table); the deliveries' own writes are in src/deliveries/. */
export const dispatchQueries = {
  /** The database's clock now (epoch ms): samples for the pace's clock mapping. */
  dbNow: (db: Queryable) =>
    db.query<{ db_now_ms: number }>(
      prepared("dispatch-db-now", "SELECT extract(epoch FROM clock_timestamp()) * 1000 AS db_now_ms"),
    ),

  reserveSlots: (db: Queryable, channel: string, n: number, intervalMs: number, leadMs: number) =>
    db.query<{ slot_ms: number; db_now_ms: number }>(reserveStatement, [channel, n, intervalMs, leadMs]),
};

/**
 * Housekeeping, every second: pending alert messages of expired alerts end (deliveries' cancelUnsent), dispatching
 * alerts with nothing left to submit become active (the alerts' own transition `dispatched`), old IVR step keys go.
 */
export async function housekeeping(db: Queryable) {
  await endingTransitions.expireUnsent(db);
  await alertQueries.dispatched(db);
  await ivrStepQueries.expire(db);
}
