/** Named statements of the webhook feature. */
export const SUBSCRIPTION_COLUMNS = `id, region_code, url, event_types, description, status, disabled_reason, disabled_at,
  created_at, updated_at, previous_secret_expires_at`;

export const insertSubscription = `
  INSERT INTO webhook_subscriptions (region_code, url, event_types, description, secret, created_by)
  VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${SUBSCRIPTION_COLUMNS}`;

export const listSubscriptions = `
  SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions
  WHERE deleted_at IS NULL AND ($1::text IS NULL OR region_code = $1) ORDER BY created_at, id`;

export const getSubscription = `
  SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE id = $1 AND deleted_at IS NULL`;

export const deleteSubscription = `
  UPDATE webhook_subscriptions SET deleted_at = now(), updated_at = now() WHERE id = $1 AND deleted_at IS NULL`;

export const failOpenDeliveries = `
  UPDATE webhook_deliveries SET status = 'failed', last_error = $2, lease_owner = NULL, lease_expires_at = NULL
  WHERE subscription_id = $1 AND status IN ('pending', 'sending')`;

export const rotateSecret = `
  UPDATE webhook_subscriptions
  SET previous_secret = secret, previous_secret_expires_at = now() + ($3::bigint * interval '1 millisecond'),
      secret = $2, updated_at = now()
  WHERE id = $1 AND deleted_at IS NULL RETURNING ${SUBSCRIPTION_COLUMNS}`;

export const updateSubscription = `
  UPDATE webhook_subscriptions SET
    url = coalesce($2, url), event_types = coalesce($3, event_types), description = coalesce($4, description),
    status = coalesce($5, status),
    disabled_reason = CASE WHEN $5 = 'active' THEN NULL ELSE disabled_reason END,
    disabled_at = CASE WHEN $5 = 'active' THEN NULL ELSE disabled_at END,
    updated_at = now()
  WHERE id = $1 AND deleted_at IS NULL RETURNING ${SUBSCRIPTION_COLUMNS}`;

export const listDeliveries = `
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
export const replayDeliveries = `
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
