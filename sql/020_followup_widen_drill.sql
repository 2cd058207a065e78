-- Issue 24: follow-ups to those reached, widening an alert's area (by hand or by escalation), drills.

-- Follow-ups. Each update of an alert has a number (1, 2, …); an update message is a delivery of purpose
-- `update` with that number, so each participant reached gets each update at most once per channel.
CREATE TABLE alert_updates (
  alert_id         uuid NOT NULL REFERENCES alerts (id),
  seq              integer NOT NULL CHECK (seq > 0),
  texts            jsonb NOT NULL,
  notify           text NOT NULL CHECK (notify IN ('reached', 'none')),
  notified         integer NOT NULL DEFAULT 0,
  created_by       uuid REFERENCES api_keys (id),
  idempotency_key  text,
  request_hash     text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (alert_id, seq),
  UNIQUE (created_by, idempotency_key)
);

ALTER TABLE deliveries ADD COLUMN update_seq integer NOT NULL DEFAULT 0;
ALTER TABLE deliveries DROP CONSTRAINT deliveries_purpose_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_purpose_check CHECK (purpose IN ('alert', 'closing', 'update'));
ALTER TABLE deliveries ADD CONSTRAINT deliveries_update_seq_check
  CHECK ((purpose = 'update') = (update_seq > 0));
CREATE UNIQUE INDEX deliveries_alert_phone_channel_purpose_update
  ON deliveries (alert_id, phone, channel, purpose, update_seq);
ALTER TABLE deliveries DROP CONSTRAINT deliveries_alert_id_phone_channel_purpose_key;

-- A drill reaches only those who opted in; the send-time check ends a drill message to someone who opted out since.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_end_reason_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_end_reason_check CHECK (end_reason IN (
  'unsubscribed', 'erased', 'channel_removed', 'alert_cancelled', 'alert_closed', 'expired', 'quiet_hours',
  'no_drills'));

ALTER TABLE participants ADD COLUMN drills boolean NOT NULL DEFAULT false;

ALTER TABLE alerts
  ADD COLUMN mode text NOT NULL DEFAULT 'live' CHECK (mode IN ('live', 'drill')),
  -- { afterMinutes, minAnswered, radiusMeters }: grow the area once when too few have answered in time.
  ADD COLUMN escalation jsonb,
  ADD COLUMN escalation_checked_at timestamptz,
  -- How many times the area was widened (by hand or by escalation): widening keeps the first centre.
  ADD COLUMN widened integer NOT NULL DEFAULT 0,
  -- The latest update sent to those reached (0: none): a status callback, which reads the alert row anyway, knows
  -- from it whether someone reached late may need an update, without a look-up on every callback.
  ADD COLUMN notified_seq integer NOT NULL DEFAULT 0;
CREATE INDEX alerts_escalation_due ON alerts (created_at)
  WHERE escalation IS NOT NULL AND escalation_checked_at IS NULL AND status IN ('dispatching', 'active');
