import { prepared, type Queryable } from "../db/db.js";
import type { CallbackChange } from "./callbacks.js";
import type { DeliveryState } from "./queries.js";
import { FINAL, LIVE_FOR_PURPOSE, fromStatuses, sqlList } from "./states.js";

// The batched forms of callbackQueries (queries.ts): one statement for a whole batch of status callbacks.
const lockMany = prepared(
  "status-lock-many",
  `SELECT d.id, d.status, d.attempts, d.answered_by, ${LIVE_FOR_PURPOSE} AS live
     FROM deliveries d JOIN alerts a ON a.id = d.alert_id WHERE d.id = ANY ($1::bigint[])
    ORDER BY d.id FOR UPDATE OF d`,
);
// One round of a batch in one statement: the callbacks recorded raw, the moves and the retries. A delivery is in at
// most one of moves and retries, and every row was locked by lockMany in the same transaction.
const applyMany = prepared(
  "status-apply-many",
  `WITH recorded AS (
     INSERT INTO call_events (delivery_id, provider_sid, kind, status, params)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::jsonb[])),
   moved AS (
     UPDATE deliveries d SET status = m.status, provider_sid = coalesce(d.provider_sid, m.sid),
            answered_by = coalesce(m.answered_by, d.answered_by),
            answered_at = CASE WHEN m.status IN ('in_progress', 'answered', 'voicemail') THEN coalesce(d.answered_at, now())
                               ELSE d.answered_at END,
            completed_at = CASE WHEN m.status IN (${sqlList(FINAL)}) THEN now() ELSE d.completed_at END,
            duration_s = coalesce(m.duration, d.duration_s), last_error_code = coalesce(m.error_code, d.last_error_code),
            lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
       FROM unnest($6::bigint[], $7::text[], $8::text[], $9::text[], $10::int[], $11::int[])
            AS m (id, status, sid, answered_by, duration, error_code)
      WHERE d.id = m.id AND ${fromStatuses("progress", "d.status")}),
   retried AS (
     UPDATE deliveries d SET status = 'pending', next_attempt_at = now() + m.after * interval '1 millisecond',
            provider_sid = NULL, answered_by = NULL, last_error = m.reason, lease_owner = NULL, lease_expires_at = NULL,
            updated_at = now()
       FROM unnest($12::bigint[], $13::float8[], $14::text[]) AS m (id, after, reason)
      WHERE d.id = m.id AND ${fromStatuses("retry", "d.status")})
   SELECT 1`,
);

export interface RecordedCallback {
  deliveryId: number | null;
  sid: string | null;
  kind: string;
  status: string | null;
  params: object;
}

export const callbackBatchQueries = {
  lock: (tx: Queryable, ids: number[]) => tx.query<DeliveryState>(lockMany, [ids]),
  /** Records `list` and applies the transitions progress and retry of `changes` (each delivery at most once). */
  apply: (tx: Queryable, list: RecordedCallback[], changes: CallbackChange[]) => {
    const moves = changes.flatMap((c) => (c.move ? [{ ...c.move, errorCode: c.errorCode ?? null }] : []));
    const retries = changes.flatMap((c) => (c.retry ? [c.retry] : []));
    return tx.query(applyMany, [
      list.map((c) => c.deliveryId),
      list.map((c) => c.sid),
      list.map((c) => c.kind),
      list.map((c) => c.status),
      list.map((c) => JSON.stringify(c.params)),
      moves.map((m) => m.id),
      moves.map((m) => m.status),
      moves.map((m) => m.sid),
      moves.map((m) => m.answeredBy),
      moves.map((m) => m.duration),
      moves.map((m) => m.errorCode),
      retries.map((r) => r.id),
      retries.map((r) => r.after),
      retries.map((r) => r.reason),
    ]);
  },
};
