-- Regions, API keys, participants and their locations, audit log.

CREATE TABLE regions (
  code              text PRIMARY KEY CHECK (code ~ '^RE(0[1-9]|10)$'),
  name              text NOT NULL,
  meldkamer_number  text CHECK (meldkamer_number ~ '^\+[1-9][0-9]{6,14}$')
);

INSERT INTO regions (code, name) VALUES
  ('RE01', 'Noord-Nederland'), ('RE02', 'Oost-Nederland'), ('RE03', 'Midden-Nederland'),
  ('RE04', 'Noord-Holland'), ('RE05', 'Amsterdam'), ('RE06', 'Den Haag'), ('RE07', 'Rotterdam'),
  ('RE08', 'Zeeland - West-Brabant'), ('RE09', 'Oost-Brabant'), ('RE10', 'Limburg');

CREATE TABLE api_keys (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key_hash     text NOT NULL UNIQUE,          -- sha256 of the whole key; keys carry 256 bits of entropy
  key_prefix   text NOT NULL,                 -- shown in listings so a key can be recognised
  role         text NOT NULL CHECK (role IN ('registration', 'operator', 'admin')),
  region_code  text REFERENCES regions (code),
  label        text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz,
  CHECK (role <> 'operator' OR region_code IS NOT NULL)
);

CREATE TABLE participants (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  phone                text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  phone_type           text CHECK (phone_type IN ('mobile', 'fixed', 'other')),
  language             text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
  channels             text[] NOT NULL CHECK (channels <@ ARRAY['voice', 'sms'] AND cardinality(channels) > 0),
  status               text NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'active', 'unsubscribed', 'erased')),
  code_hash            text,
  code_expires_at      timestamptz,
  code_attempts        integer NOT NULL DEFAULT 0,
  code_sent_at         timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  verified_at          timestamptz,
  unsubscribed_at      timestamptz,
  erased_at            timestamptz,
  CHECK ((status = 'erased') = (phone IS NULL))
);

-- One active registration per phone number; pending ones may repeat (a re-registration proves itself).
CREATE UNIQUE INDEX participants_active_phone ON participants (phone) WHERE status = 'active';
CREATE INDEX participants_phone ON participants (phone);

CREATE TABLE participant_locations (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  participant_id  uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  kind            text NOT NULL CHECK (kind IN ('home', 'work')),
  postcode        text NOT NULL CHECK (postcode ~ '^[1-9][0-9]{3}( [A-Z]{2})?$'),
  house_number    text,
  lat             double precision NOT NULL CHECK (lat BETWEEN 50.7 AND 53.7),
  lon             double precision NOT NULL CHECK (lon BETWEEN 3.2 AND 7.3),
  source          text NOT NULL CHECK (source IN ('pc4', 'exact')),
  -- Weekly window in Europe/Amsterdam: ISO weekday bitmask (bit 0 = Monday), from/to local time.
  -- NULL means always. from > to spans midnight (belongs to the day it starts on).
  window_days     smallint CHECK (window_days BETWEEN 1 AND 127),
  window_from     time,
  window_to       time,
  CHECK ((window_days IS NULL) = (window_from IS NULL) AND (window_from IS NULL) = (window_to IS NULL))
);

CREATE INDEX participant_locations_participant ON participant_locations (participant_id);
-- Bounding-box prefilter for targeting (FACTS: GiST on point(lon, lat) is the fast one at 2 M rows).
CREATE INDEX participant_locations_point ON participant_locations USING gist (point(lon, lat));

-- Is a weekly window open at a moment? Evaluated in Europe/Amsterdam.
CREATE FUNCTION window_open(days smallint, w_from time, w_to time, at timestamptz)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN days IS NULL THEN true
    WHEN w_from <= w_to THEN
      (days & (1 << (extract(isodow FROM at AT TIME ZONE 'Europe/Amsterdam')::int - 1))) <> 0
      AND (at AT TIME ZONE 'Europe/Amsterdam')::time >= w_from
      AND (at AT TIME ZONE 'Europe/Amsterdam')::time < w_to
    ELSE
      ((days & (1 << (extract(isodow FROM at AT TIME ZONE 'Europe/Amsterdam')::int - 1))) <> 0
        AND (at AT TIME ZONE 'Europe/Amsterdam')::time >= w_from)
      OR ((days & (1 << (extract(isodow FROM (at - interval '1 day') AT TIME ZONE 'Europe/Amsterdam')::int - 1))) <> 0
        AND (at AT TIME ZONE 'Europe/Amsterdam')::time < w_to)
  END
$$;

CREATE TABLE audit_log (
  id            bigserial PRIMARY KEY,
  at            timestamptz NOT NULL DEFAULT now(),
  actor         text NOT NULL,                -- api key id, or 'system' / 'citizen'
  action        text NOT NULL,
  subject_type  text NOT NULL,
  subject_id    text,
  details       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id);
