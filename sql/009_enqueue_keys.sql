-- Enqueueing 50,000 deliveries spent ~1.3 s of 2.8 s in foreign-key checks (bench/RESULTS.md, enqueue), most of
-- it in the key on participants: it locks every selected participant row FOR KEY SHARE, a write to ~50,000
-- heap pages inside the alert's transaction. Participants are never deleted (erasure keeps an anonymous
-- tombstone), so that key guarded nothing; the key on alerts stays.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_participant_id_fkey;
-- One active participant per phone number: (alert, phone, channel, purpose) already makes a delivery unique,
-- and this second unique index was one more insertion per row.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_alert_id_participant_id_channel_purpose_key;
