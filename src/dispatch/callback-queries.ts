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
const recordMany = prepared(
  "status-record-many",
  `INSERT INTO call_events (delivery_id, provider_sid, kind, status, params)
   SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::jsonb[])`,
);
const progressMany = prepared(
  "status-move-many",
  `UPDATE deliveries d SET status = m.status, provider_sid = coalesce(d.provider_sid, m.sid),
          answered_by = coalesce(m.answered_by, d.answered_by),
          answered_at = CASE WHEN m.status IN ('in_progress', 'answered', 'voicemail') THEN coalesce(d.answered_at, now())
                             ELSE d.answered_at END,
          completed_at = CASE WHEN m.status IN (${sqlList(FINAL)}) THEN now() ELSE d.completed_at END,
          duration_s = coalesce(m.duration, d.duration_s), last_error_code = coalesce(m.error_code, d.last_error_code),
          lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[])
          AS m (id, status, sid, answered_by, duration, error_code)
    WHERE d.id = m.id AND ${fromStatuses("progress", "d.status")}`,
);
const retryMany = prepared(
  "status-retry-many",
  `UPDATE deliveries d SET status = 'pending', next_attempt_at = now() + m.after * interval '1 millisecond',
          provider_sid = NULL, answered_by = NULL, last_error = m.reason, lease_owner = NULL, lease_expires_at = NULL,
          updated_at = now()
     FROM unnest($1::bigint[], $2::float8[], $3::text[]) AS m (id, after, reason)
    WHERE d.id = m.id AND ${fromStatuses("retry", "d.status")}`,
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
  record: (tx: Queryable, list: RecordedCallback[]) =>
    tx.query(recordMany, [
      list.map((c) => c.deliveryId),
      list.map((c) => c.sid),
      list.map((c) => c.kind),
      list.map((c) => c.status),
      list.map((c) => JSON.stringify(c.params)),
    ]),
  /** Transition progress, for deliveries that each appear once. */
  progress: (tx: Queryable, changes: CallbackChange[]) => {
    const moves = changes.filter((c) => c.move);
    return tx.query(progressMany, [
      moves.map((c) => c.move!.id),
      moves.map((c) => c.move!.status),
      moves.map((c) => c.move!.sid),
      moves.map((c) => c.move!.answeredBy),
      moves.map((c) => c.move!.duration),
      moves.map((c) => c.errorCode ?? null),
    ]);
  },
  /** Transition retry, for deliveries that each appear once. */
  retry: (tx: Queryable, changes: CallbackChange[]) => {
    const retries = changes.map((c) => c.retry).filter((r) => r !== undefined);
    return tx.query(retryMany, [retries.map((r) => r.id), retries.map((r) => r.after), retries.map((r) => r.reason)]);
  },
};
