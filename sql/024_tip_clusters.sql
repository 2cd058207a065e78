-- Tips grouped for the operator (src/tips/): what each tip names and where its caller was targeted, and the group
-- it belongs to. A cluster is named by the id of a tip in it; when two clusters merge, the older one's id stays.
ALTER TABLE sightings
  ADD COLUMN cluster_id         uuid,
  ADD COLUMN plates             text[] NOT NULL DEFAULT '{}',
  ADD COLUMN names_alert_plate  boolean NOT NULL DEFAULT false,
  ADD COLUMN descriptors        text[] NOT NULL DEFAULT '{}',
  -- The caller's targeted location on a grid of 0.002 degrees (src/tips/related.ts): a place, never an address.
  ADD COLUMN place_lat          double precision,
  ADD COLUMN place_lon          double precision;
-- Tips stored before clustering: each its own group.
UPDATE sightings SET cluster_id = id WHERE cluster_id IS NULL;
CREATE INDEX sightings_alert_cluster ON sightings (alert_id, cluster_id);

-- GET /v1/analytics picks alerts by creation time across every unit (admins) as well as per unit
-- (alerts_region_created serves that).
CREATE INDEX alerts_created ON alerts (created_at);

-- The figures of alerts that ended more than an hour ago (src/analytics/queries.ts), per alert and per channel or
-- language, written once on the first GET /v1/analytics that covers them: a year of national alerts is then
-- summed from ~24,000 rows per dimension instead of millions of deliveries.
CREATE TABLE alert_figures (
  alert_id      uuid NOT NULL REFERENCES alerts (id),
  dimension     text NOT NULL CHECK (dimension IN ('alert', 'channel', 'language')),
  key           text NOT NULL,
  targeted      integer NOT NULL,
  reached       integer NOT NULL,
  calls         integer NOT NULL,
  answered      integer NOT NULL,
  tips          integer NOT NULL,
  put_through   integer NOT NULL,
  first_tip_at  timestamptz,
  PRIMARY KEY (alert_id, dimension, key)
);
