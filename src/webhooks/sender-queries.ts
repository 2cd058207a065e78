import type { Queryable, Row } from "../db/db.js";

/** Statements of the sender worker. */

/** A sender that died mid-request leaves a lease; after it expires the delivery is due again (at least once). */
const reclaimExpired = `
  UPDATE webhook_deliveries SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL
  WHERE status = 'sending' AND lease_expires_at < now()`;

/**
 * Claims due deliveries in one statement, at most $3 in flight per endpoint across all instances, oldest first.
 * $1 owner, $2 lease ms, $3 per-endpoint limit, $4 batch size.
 */
const claimDue = `
  WITH inflight AS (
    SELECT subscription_id, count(*) AS n FROM webhook_deliveries WHERE status = 'sending' GROUP BY subscription_id
  ), due AS (
    SELECT d.id, d.subscription_id, d.next_attempt_at FROM webhook_deliveries d
    JOIN webhook_subscriptions s ON s.id = d.subscription_id AND s.status = 'active' AND s.deleted_at IS NULL
    WHERE d.status = 'pending' AND d.next_attempt_at <= now()
    ORDER BY d.next_attempt_at LIMIT 200
  ), ranked AS (
    SELECT due.id, row_number() OVER (PARTITION BY due.subscription_id ORDER BY due.next_attempt_at, due.id)
             + coalesce(i.n, 0) AS slot
    FROM due LEFT JOIN inflight i ON i.subscription_id = due.subscription_id
  ), claimed AS (
    UPDATE webhook_deliveries d
    SET status = 'sending', lease_owner = $1, lease_expires_at = now() + ($2::bigint * interval '1 millisecond')
    WHERE d.id IN (
      SELECT w.id FROM webhook_deliveries w JOIN ranked r ON r.id = w.id
      WHERE r.slot <= $3 AND w.status = 'pending'
      ORDER BY w.next_attempt_at LIMIT $4 FOR UPDATE OF w SKIP LOCKED)
    RETURNING d.id, d.subscription_id, d.event_id, d.attempts, d.retry_from
  )
  SELECT c.id, c.subscription_id, c.attempts, c.retry_from,
         e.id AS event_id, e.seq, e.type, e.region_code, e.alert_id, e.data, e.created_at,
         s.url, s.secret, CASE WHEN s.previous_secret_expires_at > now() THEN s.previous_secret END AS previous_secret
  FROM claimed c JOIN events e ON e.id = c.event_id JOIN webhook_subscriptions s ON s.id = c.subscription_id`;

const insertAttempt = `
  INSERT INTO webhook_attempts (delivery_id, attempted_at, duration_ms, status_code, error, retry_after_s)
  VALUES ($1, $2, $3, $4, $5, $6)`;

/** $2 owner; the outcome applies only while we still hold the lease. */
const markSucceeded = `
  UPDATE webhook_deliveries SET status = 'succeeded', attempts = attempts + 1, succeeded_at = now(),
    last_attempt_at = $3, last_status_code = $4, last_error = NULL, lease_owner = NULL, lease_expires_at = NULL
  WHERE id = $1 AND lease_owner = $2 AND status = 'sending'`;

const markRetry = `
  UPDATE webhook_deliveries SET status = 'pending', attempts = attempts + 1, last_attempt_at = $3,
    last_status_code = $4, last_error = $5, next_attempt_at = now() + ($6::bigint * interval '1 millisecond'),
    lease_owner = NULL, lease_expires_at = NULL
  WHERE id = $1 AND lease_owner = $2 AND status = 'sending'`;

const markFailed = `
  UPDATE webhook_deliveries SET status = 'failed', attempts = attempts + 1, last_attempt_at = $3, last_status_code = $4,
    last_error = $5, lease_owner = NULL, lease_expires_at = NULL
  WHERE id = $1 AND lease_owner = $2 AND status = 'sending'`;

const disableSubscription = `
  UPDATE webhook_subscriptions SET status = 'disabled', disabled_reason = $2, disabled_at = now(), updated_at = now()
  WHERE id = $1 AND status = 'active'`;

const failPending = `
  UPDATE webhook_deliveries SET status = 'failed', last_error = $2
  WHERE subscription_id = $1 AND status = 'pending'`;

export interface Attempt {
  deliveryId: string;
  at: Date;
  durationMs: number;
  status: number | null;
  error: string | null;
  retryAfterS: number | null;
}

export const senderQueries = {
  reclaimExpired: (db: Queryable) => db.query(reclaimExpired),
  claimDue: <R extends Row>(db: Queryable, owner: string, leaseMs: number, perEndpoint: number, limit: number) =>
    db.query<R>(claimDue, [owner, leaseMs, perEndpoint, limit]),
  insertAttempt: (db: Queryable, a: Attempt) =>
    db.query(insertAttempt, [a.deliveryId, a.at, a.durationMs, a.status, a.error, a.retryAfterS]),
  markSucceeded: (db: Queryable, id: string, owner: string, at: Date, status: number) =>
    db.query(markSucceeded, [id, owner, at, status]),
  markRetry: (
    db: Queryable,
    id: string,
    owner: string,
    at: Date,
    status: number | null,
    error: string | null,
    delayMs: number,
  ) => db.query(markRetry, [id, owner, at, status, error, delayMs]),
  markFailed: (db: Queryable, id: string, owner: string, at: Date, status: number | null, error: string | null) =>
    db.query(markFailed, [id, owner, at, status, error]),
  disableSubscription: (db: Queryable, id: string, reason: string) => db.query(disableSubscription, [id, reason]),
  failPending: (db: Queryable, subscriptionId: string, reason: string) =>
    db.query(failPending, [subscriptionId, reason]),
};
