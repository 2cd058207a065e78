-- IVR bookkeeping. One row per step of a call (or SMS) already handled, keyed by CallSid:step or by the
-- I-Twilio-Idempotency-Token, so that Twilio's retries write once; `data` carries what a later step of the same
-- call needs (a tip heard with too little confidence, kept until its recording arrives).
CREATE TABLE ivr_steps (
  key         text PRIMARY KEY,
  data        jsonb,
  created_at  timestamptz NOT NULL DEFAULT now()
);
-- Rows are only needed while Twilio may still retry (hours); this index serves their clean-up.
CREATE INDEX ivr_steps_created ON ivr_steps (created_at);
