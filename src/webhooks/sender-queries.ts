import type { Queryable, Row } from "../db/db.js";

/** Statements of the sender worker. */

/** A sender that died mid-request leaves a lease; after it expires the delivery is due again (at least once). */
const reclaimExpired = `
  UPDATE webhook_deliveries SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL
  WHERE status = 'sending' AND lease_expires_at < now()`;

/**
 * Claims due deliveries in one statement, fairly across units, so that a stalled endpoint of one unit never holds up
 * another's (issue 21). Every active subscription offers its oldest few due deliveries (a backlog of one hides
 * nobody else's); of those, at most $3 in flight per subscription, $5 per destination host of a unit and $6 per
 * unit, counting what every instance has in flight; the batch of $4 then takes the units in turn, oldest first
 * within each. The per-host bound is per unit: units sharing a receiver's host cannot take each other's share.
 * $1 owner, $2 lease ms.
 */
const claimDue = `
  WITH inflight AS (
    SELECT d.subscription_id, s.region_code, s.dest_host FROM webhook_deliveries d
    JOIN webhook_subscriptions s ON s.id = d.subscription_id
    WHERE d.status = 'sending'
  ), due AS (
    SELECT d.id, d.next_attempt_at, s.id AS subscription_id, s.region_code, s.dest_host
    FROM webhook_subscriptions s
    CROSS JOIN LATERAL (
      SELECT w.id, w.next_attempt_at FROM webhook_deliveries w
      WHERE w.subscription_id = s.id AND w.status = 'pending' AND w.next_attempt_at <= now()
      ORDER BY w.next_attempt_at LIMIT $3
    ) d
    WHERE s.status = 'active' AND s.deleted_at IS NULL
  ), by_subscription AS (
    SELECT due.id, due.next_attempt_at, due.subscription_id, due.region_code, due.dest_host FROM (
      SELECT due.*, row_number() OVER (PARTITION BY subscription_id ORDER BY next_attempt_at, id) AS slot FROM due
    ) due
    WHERE slot + (SELECT count(*) FROM inflight i WHERE i.subscription_id = due.subscription_id) <= $3
  ), by_host AS (
    SELECT b.id, b.next_attempt_at, b.region_code FROM (
      SELECT b.*, row_number() OVER (PARTITION BY region_code, dest_host ORDER BY next_attempt_at, id) AS slot
      FROM by_subscription b
    ) b
    WHERE slot + (SELECT count(*) FROM inflight i
                  WHERE i.region_code = b.region_code AND i.dest_host IS NOT DISTINCT FROM b.dest_host) <= $5
  ), by_unit AS (
    SELECT b.id, b.next_attempt_at, b.turn FROM (
      SELECT h.id, h.next_attempt_at, h.region_code,
             row_number() OVER (PARTITION BY region_code ORDER BY next_attempt_at, id) AS turn
      FROM by_host h
    ) b
    WHERE b.turn + (SELECT count(*) FROM inflight i WHERE i.region_code = b.region_code) <= $6
  ), claimed AS (
    UPDATE webhook_deliveries d
    SET status = 'sending', lease_owner = $1, lease_expires_at = now() + ($2::bigint * interval '1 millisecond')
    WHERE d.id IN (
      SELECT w.id FROM webhook_deliveries w JOIN by_unit u ON u.id = w.id
      WHERE w.status = 'pending'
      ORDER BY u.turn, u.next_attempt_at LIMIT $4 FOR UPDATE OF w SKIP LOCKED)
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

/** Requests in flight at once, across all instances. */
export interface ClaimBounds {
  perEndpoint: number;
  /** To one destination host, per unit. */
  perHost: number;
  perUnit: number;
}

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
  claimDue: <R extends Row>(db: Queryable, owner: string, leaseMs: number, limit: number, bounds: ClaimBounds) =>
    db.query<R>(claimDue, [owner, leaseMs, bounds.perEndpoint, limit, bounds.perHost, bounds.perUnit]),
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
