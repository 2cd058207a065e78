import { prepared, type Queryable } from "../db/db.js";
import type { DeliveryStatus } from "./statuses.js";
import { ANSWERED, FINAL } from "./statuses.js";
import { LIVE_FOR_PURPOSE, fromStatuses, statusIn } from "./transitions.js";

/** A delivery as a status callback finds it (locked). */
export interface DeliveryState {
  id: number;
  status: DeliveryStatus;
  attempts: number;
  answered_by: string | null;
  live: boolean;
  /** An alert message of an alert that sent a follow-up to those reached (alerts.notified_seq). */
  followed_up?: boolean;
}

export interface Move {
  id: number;
  status: DeliveryStatus;
  sid: string | null;
  answeredBy: string | null;
  duration: number | null;
  errorCode: number | null;
}
export interface Retry {
  id: number;
  after: number;
  reason: string;
}
export interface RecordedCallback {
  deliveryId: number | null;
  sid: string | null;
  kind: string;
  status: string | null;
  params: object;
}

// The SET lists of transitions progress and retry, shared by the single and the batch forms (`m`: the new values).
const PROGRESS_SET = `status = m.status, provider_sid = coalesce(d.provider_sid, m.sid),
       answered_by = coalesce(m.answered_by, d.answered_by),
       answered_at = CASE WHEN ${statusIn(ANSWERED, "m.status")} THEN coalesce(d.answered_at, now())
                          ELSE d.answered_at END,
       completed_at = CASE WHEN ${statusIn(FINAL, "m.status")} THEN now() ELSE d.completed_at END,
       duration_s = coalesce(m.duration, d.duration_s), last_error_code = coalesce(m.error_code, d.last_error_code),
       lease_owner = NULL, lease_expires_at = NULL, updated_at = now()`;
const RETRY_SET = `status = 'pending', next_attempt_at = now() + m.after * interval '1 millisecond',
       provider_sid = NULL, answered_by = NULL, last_error = m.reason, lease_owner = NULL, lease_expires_at = NULL,
       updated_at = now()`;
const LOCK = `SELECT d.id, d.status, d.attempts, d.answered_by, ${LIVE_FOR_PURPOSE} AS live,
                     d.purpose = 'alert' AND a.notified_seq > 0 AS followed_up
                FROM deliveries d JOIN alerts a ON a.id = d.alert_id`;
const RECORD = "INSERT INTO call_events (delivery_id, provider_sid, kind, status, params)";

// Every status callback runs these: prepared once per connection.
const lockOne = prepared("status-lock-delivery", `${LOCK} WHERE d.id = $1 FOR UPDATE OF d`);
const recordOne = prepared("status-record-event", `${RECORD} VALUES ($1, $2, $3, $4, $5)`);
const progressOne = prepared(
  "status-move",
  `UPDATE deliveries d SET ${PROGRESS_SET}
     FROM (SELECT $2::text AS status, $3::text AS sid, $4::text AS answered_by, $5::int AS duration,
                  $6::int AS error_code) m
    WHERE d.id = $1 AND ${fromStatuses("progress", "d.status")}`,
);
const retryOne = prepared(
  "status-retry",
  `UPDATE deliveries d SET ${RETRY_SET} FROM (SELECT $2::float8 AS after, $3::text AS reason) m
    WHERE d.id = $1 AND ${fromStatuses("retry", "d.status")}`,
);

const lockMany = prepared("status-lock-many", `${LOCK} WHERE d.id = ANY ($1::bigint[]) ORDER BY d.id FOR UPDATE OF d`);
// One round of a batch in one statement: the callbacks recorded raw, the moves and the retries. A delivery is in at
// most one of moves and retries, and every row was locked by lockMany in the same transaction.
const applyMany = prepared(
  "status-apply-many",
  `WITH recorded AS (
     ${RECORD} SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::jsonb[])),
   moved AS (
     UPDATE deliveries d SET ${PROGRESS_SET}
       FROM unnest($6::bigint[], $7::text[], $8::text[], $9::text[], $10::int[], $11::int[])
            AS m (id, status, sid, answered_by, duration, error_code)
      WHERE d.id = m.id AND ${fromStatuses("progress", "d.status")}),
   retried AS (
     UPDATE deliveries d SET ${RETRY_SET}
       FROM unnest($12::bigint[], $13::float8[], $14::text[]) AS m (id, after, reason)
      WHERE d.id = m.id AND ${fromStatuses("retry", "d.status")})
   SELECT 1`,
);

/**
 * Status callbacks and the carrier's answers to fetches: transitions progress and retry, each in its one-delivery
 * form and its batch form side by side (the batch applies a round of callbacks in one statement).
 */
export const callbackTransitions = {
  lock: (tx: Queryable, id: number) => tx.query<DeliveryState>(lockOne, [id]),
  lockMany: (tx: Queryable, ids: number[]) => tx.query<DeliveryState>(lockMany, [ids]),

  record: (tx: Queryable, c: RecordedCallback) =>
    tx.query(recordOne, [c.deliveryId, c.sid, c.kind, c.status, JSON.stringify(c.params)]),

  /** Transition progress. */
  progress: (tx: Queryable, m: Move) =>
    tx.query(progressOne, [m.id, m.status, m.sid, m.answeredBy, m.duration, m.errorCode]),

  /** Transition retry: busy or no answer, called again after `r.after` ms. */
  retry: (tx: Queryable, r: Retry) => tx.query(retryOne, [r.id, r.after, r.reason]),

  /** Records `list` and applies transitions progress to `moves` and retry to `retries` (each delivery at most once). */
  applyMany: (tx: Queryable, list: RecordedCallback[], moves: Move[], retries: Retry[]) =>
    tx.query(applyMany, [
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
    ]),

  /** Not a status change: what answering machine detection said of the call (the AMD webhook). */
  answeredBy: (db: Queryable, deliveryId: number, answeredBy: string) =>
    db.query("UPDATE deliveries SET answered_by = $2 WHERE id = $1", [deliveryId, answeredBy]),
};
