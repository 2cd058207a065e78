-- Fair shares per police unit (issue 16): the dispatcher walks the alerts with waiting work (a skip scan over
-- alert_id) and takes each alert's next deliveries by urgency and rank from this index, one indexed read each.
CREATE INDEX deliveries_due_by_alert ON deliveries (alert_id, channel, urgent DESC, rank, next_attempt_at)
  WHERE status = 'pending';
