-- Erasure and retention (issue 12). An erased participant's number must be in no table, so the deliveries that
-- reached them keep their counts (status, channel, timings) without it.
ALTER TABLE deliveries ALTER COLUMN phone DROP NOT NULL;

-- Every spelling of a number that a stored text may carry: E.164, without the plus (Twilio's URL-encoded
-- forms, 0031…), and the Dutch national form (06…). Each is replaced, longest first, by a marker.
CREATE FUNCTION phone_forms(e164 text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN e164 LIKE '+31%'
              THEN ARRAY[e164, substr(e164, 2), '0' || substr(e164, 4)]
              ELSE ARRAY[e164, substr(e164, 2)] END
$$;

CREATE FUNCTION erase_phone_text(t text, forms text[]) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE f text;
BEGIN
  IF t IS NULL THEN RETURN NULL; END IF;
  FOREACH f IN ARRAY forms LOOP
    t := replace(t, f, 'erased');
  END LOOP;
  RETURN t;
END $$;

-- The sighting.created payload carried the caller's full number to webhooks and the live feed; from now on it is
-- masked when the event is written. Events written before this carry none.
UPDATE events SET data = jsonb_set(data, '{callerPhone}', 'null') WHERE data ? 'callerPhone';

-- Retention deletes the oldest rows in batches.
CREATE INDEX call_events_received ON call_events (received_at);
CREATE INDEX events_created ON events (created_at);
CREATE INDEX sightings_created ON sightings (created_at);
CREATE INDEX webhook_deliveries_created ON webhook_deliveries (created_at);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);
CREATE INDEX sightings_participant ON sightings (participant_id) WHERE participant_id IS NOT NULL;
-- Retention only has to say once that a tip's transcript or recording is gone.
ALTER TABLE sightings ADD COLUMN transcript_erased_at timestamptz, ADD COLUMN recording_erased_at timestamptz;
