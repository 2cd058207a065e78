-- Issue 25: "are you nearby now?" and the text line for those who cannot call.

-- Whether an alert's calls open with the presence question (and its SMS asks for a reply). Rows written before this
-- migration, and rows written without it, ask nothing: the API sets it per alert kind (src/presence/defaults.ts).
ALTER TABLE alerts ADD COLUMN presence_check boolean NOT NULL DEFAULT false;

-- The citizen's answer, on the delivery that asked it: NULL never asked (or not yet answered by SMS).
ALTER TABLE deliveries
  ADD COLUMN presence text CHECK (presence IN ('near', 'away', 'unknown')),
  ADD COLUMN presence_at timestamptz;

-- Text only: never called (deaf and hard-of-hearing participants), SMS for every alert, voice-only ones too.
ALTER TABLE participants ADD COLUMN text_only boolean NOT NULL DEFAULT false;
ALTER TABLE participant_locations ADD COLUMN text_only boolean NOT NULL DEFAULT false;

-- The copies of sql/008, now with text_only: `voice` is false for a text-only participant, so targeting never calls
-- one, and `text_only` lets an alert without the SMS channel still send them an SMS.
CREATE OR REPLACE FUNCTION location_copy_participant() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT p.status = 'active', 'voice' = ANY (p.channels) AND NOT p.text_only,
         'sms' = ANY (p.channels) AND p.phone_type IS NOT DISTINCT FROM 'mobile',
         p.phone, p.language, p.text_only
    INTO NEW.active, NEW.voice, NEW.sms, NEW.phone, NEW.language, NEW.text_only
    FROM participants p WHERE p.id = NEW.participant_id;
  IF NOT FOUND THEN
    NEW.active := false; NEW.voice := false; NEW.sms := false; -- the foreign key refuses the row after this
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION participant_to_locations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE participant_locations
     SET active = NEW.status = 'active', voice = 'voice' = ANY (NEW.channels) AND NOT NEW.text_only,
         sms = 'sms' = ANY (NEW.channels) AND NEW.phone_type IS NOT DISTINCT FROM 'mobile',
         phone = NEW.phone, language = NEW.language, text_only = NEW.text_only
   WHERE participant_id = NEW.id;
  RETURN NULL;
END $$;

DROP TRIGGER participants_to_locations ON participants;
CREATE TRIGGER participants_to_locations
  AFTER UPDATE OF status, channels, phone_type, phone, language, text_only ON participants
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.channels IS DISTINCT FROM NEW.channels
        OR OLD.phone_type IS DISTINCT FROM NEW.phone_type OR OLD.phone IS DISTINCT FROM NEW.phone
        OR OLD.language IS DISTINCT FROM NEW.language OR OLD.text_only IS DISTINCT FROM NEW.text_only)
  EXECUTE FUNCTION participant_to_locations();

-- Targeting reads only the index (sql/008, sql/017): it carries text_only too, built the same way.
DROP INDEX participant_locations_point;
CREATE INDEX participant_locations_point ON participant_locations USING gist (point(lon, lat))
  INCLUDE (participant_id, lon, lat, window_days, window_from, window_to, voice, sms, phone, language, text_only)
  WITH (buffering = on) WHERE active;

-- A text-only participant's SMS exchange with the meldkamer during one alert. No phone number here: replies go to
-- the participant's number as it is at send time (erased or unsubscribed: nothing is sent).
CREATE TABLE conversations (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  alert_id        uuid NOT NULL REFERENCES alerts (id),
  participant_id  uuid NOT NULL REFERENCES participants (id),
  region_code     text NOT NULL REFERENCES regions (code),
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_message_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (alert_id, participant_id)
);

CREATE TABLE conversation_messages (
  id              bigserial PRIMARY KEY,
  conversation_id uuid NOT NULL REFERENCES conversations (id),
  direction       text NOT NULL CHECK (direction IN ('in', 'out')),
  body            text NOT NULL,
  -- The operator key that answered (out); NULL for the citizen's messages.
  author          text,
  -- Inbound: the MessageSid (a retried webhook adds nothing); outbound: the carrier's SID once sent.
  provider_sid    text UNIQUE,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversation_messages_by_conversation ON conversation_messages (conversation_id, id);
