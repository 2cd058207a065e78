-- Every event for operators (alert.created, sighting.created, …) is written here in the same transaction as
-- the change it reports: the outbox that webhooks and the live feed are fed from.
CREATE TABLE events (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),   -- the stable webhook-id ("evt_" + id)
  seq          bigserial UNIQUE,                             -- delivery order
  type         text NOT NULL,
  region_code  text NOT NULL REFERENCES regions (code),
  alert_id     uuid REFERENCES alerts (id),
  data         jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_region_seq ON events (region_code, seq);
CREATE INDEX events_alert ON events (alert_id);
