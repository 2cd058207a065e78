-- Tips from citizens: spoken during an alert call, sent by SMS, or left on the Burgernet number.
CREATE TABLE sightings (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  alert_id              uuid REFERENCES alerts (id),          -- NULL: a general tip
  delivery_id           bigint REFERENCES deliveries (id),
  region_code           text NOT NULL REFERENCES regions (code),
  source                text NOT NULL CHECK (source IN ('voice', 'sms', 'inbound')),
  participant_id        uuid REFERENCES participants (id),
  caller_phone          text,
  call_sid              text,
  digits                text,
  transcript            text,
  confidence            real CHECK (confidence BETWEEN 0 AND 1),
  recording_url         text,
  recording_duration_s  integer,
  distance_m            integer,                               -- caller's nearest location to the incident
  idempotency_key       text UNIQUE,                           -- Twilio retries of the same step write once
  created_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sightings_alert ON sightings (alert_id, created_at);
