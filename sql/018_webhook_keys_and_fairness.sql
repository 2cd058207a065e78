-- Issue 21 §3. A subscription belongs to its unit (region_code); key_id records the API key that answers for where it
-- sends: the one that created it, last changed its URL or re-enabled it. Revoking that key disables the subscription
-- and fails what was queued for it, in the revocation's transaction; only an admin re-enables it (and then answers
-- for it). Subscriptions of keys revoked before this migration are disabled here the same way.
ALTER TABLE webhook_subscriptions ADD COLUMN key_id uuid REFERENCES api_keys (id);
UPDATE webhook_subscriptions SET key_id = created_by;
CREATE INDEX webhook_subscriptions_key ON webhook_subscriptions (key_id) WHERE deleted_at IS NULL;

WITH disabled AS (
  UPDATE webhook_subscriptions s
  SET status = 'disabled', disabled_reason = 'the API key that answered for it was revoked', disabled_at = now(),
      updated_at = now()
  FROM api_keys k
  WHERE k.id = s.key_id AND k.revoked_at IS NOT NULL AND s.deleted_at IS NULL
  RETURNING s.id
)
UPDATE webhook_deliveries SET status = 'failed', last_error = 'subscription disabled: its API key was revoked',
  lease_owner = NULL, lease_expires_at = NULL
WHERE subscription_id IN (SELECT id FROM disabled) AND status IN ('pending', 'sending');

-- The destination host (lower case, without port, userinfo or a trailing dot): requests in flight to one host are
-- bounded, whichever subscriptions point at it.
ALTER TABLE webhook_subscriptions ADD COLUMN dest_host text GENERATED ALWAYS AS (
  rtrim(lower(substring(url FROM '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?(\[[^]/?#]*\]|[^/?#:]+)')), '.')
) STORED;

-- The sender takes the oldest due deliveries of each subscription (a few each), so a subscription with a long
-- backlog can never fill the window another unit's deliveries wait behind.
CREATE INDEX webhook_deliveries_pending_by_subscription ON webhook_deliveries (subscription_id, next_attempt_at)
  WHERE status = 'pending';
