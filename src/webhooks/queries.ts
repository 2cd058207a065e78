import { LIVE_ALERT_STATUSES } from "../alerts/states.js";
import type { Queryable, Row } from "../db/db.js";
import { EVENTS_CHANNEL } from "../events/publish.js";

/** Statements of the webhook feature: subscriptions, their deliveries, and alert progress. */
const SUBSCRIPTION_COLUMNS = `id, region_code, url, event_types, description, status, disabled_reason, disabled_at,
  created_at, updated_at, previous_secret_expires_at, key_id`;

/** The unit's row is locked first, so two creates at once cannot both pass the unit's limit ($7). */
const insertSubscription = `
  WITH unit AS (SELECT code FROM regions WHERE code = $1 FOR UPDATE),
  counted AS (
    SELECT count(*) AS n FROM webhook_subscriptions s, unit WHERE s.region_code = unit.code AND s.deleted_at IS NULL
  )
  INSERT INTO webhook_subscriptions (region_code, url, event_types, description, secret, created_by, key_id)
  SELECT unit.code, $2, $3, $4, $5, $6, $6 FROM unit, counted WHERE counted.n < $7
  RETURNING ${SUBSCRIPTION_COLUMNS}`;

const listSubscriptions = `
  SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions
  WHERE deleted_at IS NULL AND ($1::text IS NULL OR region_code = $1) ORDER BY created_at, id`;

const getSubscription = `
  SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE id = $1 AND deleted_at IS NULL`;

const deleteSubscription = `
  UPDATE webhook_subscriptions SET deleted_at = now(), updated_at = now() WHERE id = $1 AND deleted_at IS NULL`;

const failOpenDeliveries = `
  UPDATE webhook_deliveries SET status = 'failed', last_error = $2, lease_owner = NULL, lease_expires_at = NULL
  WHERE subscription_id = $1 AND status IN ('pending', 'sending')`;

const rotateSecret = `
  UPDATE webhook_subscriptions
  SET previous_secret = secret, previous_secret_expires_at = now() + ($3::bigint * interval '1 millisecond'),
      secret = $2, updated_at = now()
  WHERE id = $1 AND deleted_at IS NULL RETURNING ${SUBSCRIPTION_COLUMNS}`;

const updateSubscription = `
  UPDATE webhook_subscriptions SET
    url = coalesce($2, url), event_types = coalesce($3, event_types), description = coalesce($4, description),
    status = coalesce($5, status),
    key_id = CASE WHEN $2::text IS NOT NULL OR $5 = 'active' THEN $6 ELSE key_id END,
    disabled_reason = CASE WHEN $5 = 'active' THEN NULL ELSE disabled_reason END,
    disabled_at = CASE WHEN $5 = 'active' THEN NULL ELSE disabled_at END,
    updated_at = now()
  WHERE id = $1 AND deleted_at IS NULL RETURNING ${SUBSCRIPTION_COLUMNS}`;

/** Every live subscription the key answers for; each is disabled, whatever its state was. */
const disableByKey = `
  UPDATE webhook_subscriptions SET status = 'disabled', disabled_reason = $2, disabled_at = now(), updated_at = now()
  WHERE key_id = $1 AND deleted_at IS NULL RETURNING id`;

const listDeliveries = `
  SELECT d.id, d.event_id, e.type AS event_type, d.status, d.attempts, d.next_attempt_at, d.last_status_code,
         d.last_error, d.last_attempt_at, d.succeeded_at, d.created_at,
         coalesce((SELECT json_agg(json_build_object(
             'at', a.attempted_at, 'durationMs', a.duration_ms, 'statusCode', a.status_code, 'error', a.error,
             'retryAfterSeconds', a.retry_after_s) ORDER BY a.id)
           FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]') AS attempt_log
  FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
  WHERE d.subscription_id = $1 AND ($2::text IS NULL OR d.status = $2) AND ($3::bigint IS NULL OR d.id < $3)
  ORDER BY d.id DESC LIMIT $4`;

/**
 * Re-queues the subscription's deliveries in a window, and creates the ones it never had (events from before it
 * subscribed, or while it was disabled), all with the event's own webhook-id.
 */
const replayDeliveries = `
  WITH s AS (SELECT id, region_code, event_types FROM webhook_subscriptions WHERE id = $1 AND deleted_at IS NULL)
  INSERT INTO webhook_deliveries (subscription_id, event_id, next_attempt_at)
  SELECT s.id, e.id, now() FROM s JOIN events e ON e.region_code = s.region_code AND e.type = ANY (s.event_types)
  WHERE e.created_at >= $2 AND e.created_at < coalesce($3, 'infinity'::timestamptz)
    AND ($4::uuid[] IS NULL OR e.id = ANY ($4))
  ON CONFLICT (subscription_id, event_id) DO UPDATE
    SET status = 'pending', next_attempt_at = now(), retry_from = now(), attempts = 0,
        lease_owner = NULL, lease_expires_at = NULL
    WHERE webhook_deliveries.status IN ('pending', 'failed') OR ($5 AND webhook_deliveries.status = 'succeeded')
  RETURNING id`;

/** Alerts whose numbers may still move: dispatching, or finished dispatching a short while ago (calls still ring). */
const progressAlerts = `
  SELECT id, region_code, status FROM alerts
  WHERE status = '${LIVE_ALERT_STATUSES[0]}'
     OR (status = '${LIVE_ALERT_STATUSES[1]}' AND coalesce(dispatched_at, created_at) > now() - interval '15 minutes')`;

/**
 * Takes the right to publish for this alert: only when the numbers changed and the last one is at least
 * $3 ms old. Across instances the row lock makes exactly one of them win.
 */
const claimProgress = `
  INSERT INTO alert_progress AS p (alert_id, published_at, counts) VALUES ($1, now(), $2::jsonb)
  ON CONFLICT (alert_id) DO UPDATE SET published_at = now(), counts = $2::jsonb
  WHERE p.counts <> $2::jsonb AND p.published_at <= now() - ($3::bigint * interval '1 millisecond')
  RETURNING alert_id`;

export interface SubscriptionPatch {
  url: string | null;
  eventTypes: string[] | null;
  description: string | null;
  status: string | null;
}

export const webhookQueries = {
  insertSubscription: (
    db: Queryable,
    s: { region: string; url: string; eventTypes: string[]; description: string | null; secret: string; by: string },
    maxPerUnit: number,
  ) => db.query(insertSubscription, [s.region, s.url, s.eventTypes, s.description, s.secret, s.by, maxPerUnit]),
  listSubscriptions: (db: Queryable, region: string | null) => db.query(listSubscriptions, [region]),
  getSubscription: (db: Queryable, id: string) => db.query(getSubscription, [id]),
  deleteSubscription: (db: Queryable, id: string) => db.query(deleteSubscription, [id]),
  failOpenDeliveries: (db: Queryable, subscriptionId: string, reason: string) =>
    db.query(failOpenDeliveries, [subscriptionId, reason]),
  rotateSecret: (db: Queryable, id: string, secret: string, graceMs: number) =>
    db.query(rotateSecret, [id, secret, graceMs]),
  /** `by`: the key that answers for the subscription from now on when the URL changes or it is re-enabled. */
  updateSubscription: (db: Queryable, id: string, p: SubscriptionPatch, by: string) =>
    db.query(updateSubscription, [id, p.url, p.eventTypes, p.description, p.status, by]),
  disableByKey: (db: Queryable, keyId: string, reason: string) =>
    db.query<{ id: string }>(disableByKey, [keyId, reason]),
  listDeliveries: (db: Queryable, id: string, status: string | null, before: number | null, limit: number) =>
    db.query(listDeliveries, [id, status, before, limit]),
  replayDeliveries: (
    db: Queryable,
    id: string,
    r: { since: string; until: string | null; eventIds: string[] | null; includeSucceeded: boolean },
  ) => db.query(replayDeliveries, [id, r.since, r.until, r.eventIds, r.includeSucceeded]),
  /** Wakes the senders of every instance; the live feed ignores notices without an event. */
  notifySenders: (db: Queryable, payload: object) =>
    db.query("SELECT pg_notify($1, $2)", [EVENTS_CHANNEL, JSON.stringify(payload)]),

  progressAlerts: (db: Queryable) => db.query<{ id: string; region_code: string; status: string }>(progressAlerts),
  claimProgress: (db: Queryable, alertId: string, counts: object, intervalMs: number) =>
    db.query<Row>(claimProgress, [alertId, JSON.stringify(counts), intervalMs]),
};
