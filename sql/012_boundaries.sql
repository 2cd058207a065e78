-- Boundaries that hold (issue 13).

-- Every verification code sent (SMS or call) and every code tried, by phone, by API key and in all. A
-- registration, a resend and a verify take their slot here under one lock, so parallel requests, extra
-- registrations of the same phone or resends cannot send more than the limits. The phone is kept as a sha256
-- digest and for an hour only (take_code_slot deletes older rows): what a limit per hour needs, no more.
CREATE TABLE code_events (
  id          bigserial PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('send', 'attempt')),
  phone_hash  text NOT NULL,
  key_id      uuid,
  at          timestamptz NOT NULL
);
CREATE INDEX code_events_phone ON code_events (phone_hash, kind, at);
CREATE INDEX code_events_key ON code_events (key_id, kind, at) WHERE key_id IS NOT NULL;
CREATE INDEX code_events_at ON code_events (kind, at);

-- NULL when the slot is taken, else which limit is reached: 'phone', 'key' or 'total'. Call it in the transaction
-- that acts on the slot: the lock is held to its end, so the next caller counts this row.
CREATE FUNCTION take_code_slot(p_kind text, p_phone_hash text, p_key uuid, p_at timestamptz,
                               p_per_phone int, p_per_key int, p_total int) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  since timestamptz := p_at - interval '1 hour';
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('code_events:' || p_kind));
  DELETE FROM code_events WHERE kind = p_kind AND at < since;
  IF (SELECT count(*) FROM code_events WHERE kind = p_kind AND phone_hash = p_phone_hash AND at > since) >= p_per_phone THEN
    RETURN 'phone';
  END IF;
  IF p_key IS NOT NULL
     AND (SELECT count(*) FROM code_events WHERE kind = p_kind AND key_id = p_key AND at > since) >= p_per_key THEN
    RETURN 'key';
  END IF;
  IF (SELECT count(*) FROM code_events WHERE kind = p_kind AND at > since) >= p_total THEN
    RETURN 'total';
  END IF;
  INSERT INTO code_events (kind, phone_hash, key_id, at) VALUES (p_kind, p_phone_hash, p_key, p_at);
  RETURN NULL;
END $$;

-- CAP messages are idempotent per police unit (admin keys: one scope of their own): the same sender and
-- identifier from two units are two messages.
ALTER TABLE cap_messages ADD COLUMN scope text;
UPDATE cap_messages m SET scope = coalesce(k.region_code, 'admin') FROM api_keys k WHERE k.id = m.received_by;
UPDATE cap_messages SET scope = 'admin' WHERE scope IS NULL;
ALTER TABLE cap_messages ALTER COLUMN scope SET NOT NULL;
ALTER TABLE cap_messages DROP CONSTRAINT cap_messages_pkey;
ALTER TABLE cap_messages ADD PRIMARY KEY (scope, sender, identifier);
ALTER TABLE alerts DROP CONSTRAINT alerts_cap_sender_cap_identifier_key;
ALTER TABLE alerts ADD CONSTRAINT alerts_cap_per_region UNIQUE (region_code, cap_sender, cap_identifier);

-- Keys that may only read /metrics.
ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('registration', 'operator', 'admin', 'metrics'));
