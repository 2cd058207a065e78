-- Operator webhooks: subscriptions per region, one delivery row per (subscription, event), every attempt kept.

CREATE TABLE webhook_subscriptions (
  id                          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  region_code                 text NOT NULL REFERENCES regions (code),
  url                         text NOT NULL CHECK (length(url) <= 2048),
  event_types                 text[] NOT NULL CHECK (cardinality(event_types) > 0),
  description                 text CHECK (length(description) <= 500),
  -- The receiver needs the secret itself to verify, so we must keep it (not a hash) to sign.
  secret                      text NOT NULL,
  previous_secret             text,
  previous_secret_expires_at  timestamptz,
  status                      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  disabled_reason             text,
  disabled_at                 timestamptz,
  created_by                  uuid REFERENCES api_keys (id),
  created_at                  timestamptz NOT NULL DEFAULT now(),
  updated_at                  timestamptz NOT NULL DEFAULT now(),
  deleted_at                  timestamptz
);
CREATE INDEX webhook_subscriptions_match ON webhook_subscriptions (region_code) WHERE status = 'active' AND deleted_at IS NULL;

-- pending: due at next_attempt_at; sending: leased by one sender; succeeded; failed: gave up (3 days) or
-- the subscription was disabled or deleted before it could be sent.
CREATE TABLE webhook_deliveries (
  id                bigserial PRIMARY KEY,
  subscription_id   uuid NOT NULL REFERENCES webhook_subscriptions (id),
  event_id          uuid NOT NULL REFERENCES events (id),
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'succeeded', 'failed')),
  attempts          integer NOT NULL DEFAULT 0,
  next_attempt_at   timestamptz NOT NULL DEFAULT now(),
  retry_from        timestamptz NOT NULL DEFAULT now(),   -- start of the current round: 3 days from here
  lease_owner       text,
  lease_expires_at  timestamptz,
  last_status_code  integer,
  last_error        text,
  last_attempt_at   timestamptz,
  succeeded_at      timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_sending ON webhook_deliveries (subscription_id) WHERE status = 'sending';
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, id DESC);

CREATE TABLE webhook_attempts (
  id             bigserial PRIMARY KEY,
  delivery_id    bigint NOT NULL REFERENCES webhook_deliveries (id),
  attempted_at   timestamptz NOT NULL,
  duration_ms    integer NOT NULL,
  status_code    integer,
  error          text,
  retry_after_s  integer
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);

-- Fan-out happens in the transaction that writes the event, so no event can be missed by a cursor racing
-- a transaction that commits later with a lower seq.
CREATE FUNCTION webhook_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO webhook_deliveries (subscription_id, event_id, next_attempt_at)
  SELECT s.id, NEW.id, now()
  FROM webhook_subscriptions s
  WHERE s.region_code = NEW.region_code AND s.status = 'active' AND s.deleted_at IS NULL
    AND NEW.type = ANY (s.event_types)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
CREATE TRIGGER events_webhook_fan_out AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION webhook_fan_out();

-- The last alert.progress published per alert: at most one every few seconds across all instances.
CREATE TABLE alert_progress (
  alert_id      uuid PRIMARY KEY REFERENCES alerts (id),
  published_at  timestamptz NOT NULL,
  counts        jsonb NOT NULL
);

-- CAP 1.2 intake: every accepted message by (sender, identifier), so a resent Alert, Update or Cancel is
-- answered as before instead of acting twice; Update and Cancel find their alerts through references to these.
CREATE TABLE cap_messages (
  sender       text NOT NULL,
  identifier   text NOT NULL,
  msg_type     text NOT NULL CHECK (msg_type IN ('Alert', 'Update', 'Cancel')),
  alert_ids    uuid[] NOT NULL,
  result       jsonb NOT NULL,
  received_by  uuid REFERENCES api_keys (id),
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sender, identifier)
);
