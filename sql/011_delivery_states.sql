-- Delivery statuses as src/dispatch/states.ts owns them (issue 10 §3, issues 11 and 12).
-- `claimed` is gone: a claim holds pending work under a lease (lease_owner, next_attempt_at = lease end), and
-- each request takes its delivery from pending to sending in the statement that re-checks it. `seq` was never
-- read or written (status callbacks are ordered by the state machine, not by SequenceNumber).
UPDATE deliveries SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL WHERE status = 'claimed';
ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check CHECK (status IN (
  'pending', 'sending', 'submitted', 'ringing', 'in_progress',
  'answered', 'voicemail', 'delivered', 'sent', 'busy', 'no_answer', 'failed', 'canceled', 'undelivered'));
ALTER TABLE deliveries DROP COLUMN seq;

-- Why a delivery ended without being sent: the check at send time (or a cancel/close/expiry) said so.
ALTER TABLE deliveries ADD COLUMN end_reason text CHECK (end_reason IN (
  'unsubscribed', 'erased', 'channel_removed', 'alert_cancelled', 'alert_closed', 'expired', 'quiet_hours'));
UPDATE deliveries SET end_reason = CASE last_error WHEN 'alert cancelled' THEN 'alert_cancelled'
                                                   WHEN 'alert closed' THEN 'alert_closed'
                                                   WHEN 'alert expired' THEN 'expired' END
 WHERE status = 'canceled' AND provider_sid IS NULL;

DROP INDEX deliveries_leased;
CREATE INDEX deliveries_leased ON deliveries (lease_expires_at) WHERE status = 'sending';
-- Deliveries at the carrier whose final status callback may have been lost: settled by asking the carrier.
CREATE INDEX deliveries_at_carrier ON deliveries (updated_at) WHERE status IN ('submitted', 'ringing', 'in_progress', 'sent');

-- A channel the carrier refused at account level (suspended, bad credentials, caller ID not ours) is halted for
-- every instance until a probe succeeds; probe_at is when the next probe may go, probes how many have failed.
ALTER TABLE pace
  ADD COLUMN halted_at timestamptz,
  ADD COLUMN halt_code integer,
  ADD COLUMN halt_message text,
  ADD COLUMN probe_at timestamptz,
  ADD COLUMN probes integer NOT NULL DEFAULT 0;
