-- Targeting reads one structure: the GiST index on the locations. What it needs of the participant (active,
-- reachable by voice, by SMS, phone and language for the deliveries) is copied onto every location by triggers,
-- in the transaction that changes the participant, and the index carries every column targeting uses. Its leaf pages lie together on the map, so
-- a 2 km circle reads a few hundred index pages instead of a heap page per location and a participant probe
-- per location (bench/RESULTS.md, targeting).
ALTER TABLE participant_locations
  ADD COLUMN active boolean NOT NULL DEFAULT false,
  ADD COLUMN voice  boolean NOT NULL DEFAULT false,
  ADD COLUMN sms    boolean NOT NULL DEFAULT false,
  ADD COLUMN phone  text,
  ADD COLUMN language text;

CREATE FUNCTION location_copy_participant() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT p.status = 'active', 'voice' = ANY (p.channels), 'sms' = ANY (p.channels) AND p.phone_type IS NOT DISTINCT FROM 'mobile',
         p.phone, p.language
    INTO NEW.active, NEW.voice, NEW.sms, NEW.phone, NEW.language
    FROM participants p WHERE p.id = NEW.participant_id;
  IF NOT FOUND THEN
    NEW.active := false; NEW.voice := false; NEW.sms := false; -- the foreign key refuses the row after this
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER participant_locations_copy BEFORE INSERT OR UPDATE OF participant_id ON participant_locations
  FOR EACH ROW EXECUTE FUNCTION location_copy_participant();

CREATE FUNCTION participant_to_locations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE participant_locations
     SET active = NEW.status = 'active', voice = 'voice' = ANY (NEW.channels),
         sms = 'sms' = ANY (NEW.channels) AND NEW.phone_type IS NOT DISTINCT FROM 'mobile',
         phone = NEW.phone, language = NEW.language
   WHERE participant_id = NEW.id;
  RETURN NULL;
END $$;

CREATE TRIGGER participants_to_locations AFTER UPDATE OF status, channels, phone_type, phone, language ON participants
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.channels IS DISTINCT FROM NEW.channels
        OR OLD.phone_type IS DISTINCT FROM NEW.phone_type OR OLD.phone IS DISTINCT FROM NEW.phone
        OR OLD.language IS DISTINCT FROM NEW.language)
  EXECUTE FUNCTION participant_to_locations();

UPDATE participant_locations l
   SET active = p.status = 'active', voice = 'voice' = ANY (p.channels),
       sms = 'sms' = ANY (p.channels) AND p.phone_type IS NOT DISTINCT FROM 'mobile',
       phone = p.phone, language = p.language
  FROM participants p WHERE p.id = l.participant_id;

DROP INDEX participant_locations_point;
CREATE INDEX participant_locations_point ON participant_locations USING gist (point(lon, lat))
  INCLUDE (participant_id, lon, lat, window_days, window_from, window_to, voice, sms, phone, language) WHERE active;
