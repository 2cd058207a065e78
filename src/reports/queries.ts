/** Named statements of the alert report. Only first attempts of the alert itself count (not closing messages). */
export const alertHead = `SELECT id, region_code, status, created_at FROM alerts WHERE id = $1`;

export const deliveryCounts = `
  SELECT
    count(DISTINCT participant_id)::int AS targeted,
    count(*) FILTER (WHERE channel = 'voice')::int AS calls,
    count(*) FILTER (WHERE channel = 'voice' AND status = 'answered')::int AS answered,
    count(*) FILTER (WHERE channel = 'voice' AND status = 'voicemail')::int AS voicemail,
    count(*) FILTER (WHERE channel = 'voice' AND status = 'busy')::int AS busy,
    count(*) FILTER (WHERE channel = 'voice' AND status = 'no_answer')::int AS no_answer,
    count(*) FILTER (WHERE channel = 'voice' AND status IN ('failed', 'undelivered'))::int AS calls_failed,
    count(*) FILTER (WHERE channel = 'sms')::int AS sms,
    count(*) FILTER (WHERE channel = 'sms' AND status = 'delivered')::int AS sms_delivered,
    count(*) FILTER (WHERE channel = 'sms' AND status IN ('failed', 'undelivered'))::int AS sms_failed,
    count(*) FILTER (WHERE status = 'canceled')::int AS canceled,
    count(*) FILTER (WHERE status IN ('pending', 'claimed', 'sending', 'submitted', 'ringing', 'in_progress', 'sent'))::int AS in_progress,
    count(DISTINCT participant_id) FILTER (WHERE status IN ('answered', 'voicemail', 'delivered'))::int AS reached,
    min(answered_at) FILTER (WHERE channel = 'voice' AND status = 'answered') AS first_answer_at
  FROM deliveries WHERE alert_id = $1 AND purpose = 'alert'`;

export const sightingCounts = `
  SELECT count(*)::int AS tips,
         count(*) FILTER (WHERE source = 'voice')::int AS voice,
         count(*) FILTER (WHERE source = 'sms')::int AS sms,
         count(*) FILTER (WHERE source = 'inbound')::int AS inbound,
         min(created_at) AS first_tip_at
  FROM sightings WHERE alert_id = $1`;

export const putThroughCount = `SELECT count(*)::int AS n FROM events WHERE alert_id = $1 AND type = 'call.connected'`;

/** Keyset pages, so a 200,000-row export never sits in memory at once. */
export const deliveryPage = `
  SELECT id, channel, purpose, language, rank, distance_m, phone, status, attempts, answered_by,
         answered_at, completed_at, duration_s, last_error_code
  FROM deliveries WHERE alert_id = $1 AND id > $2 ORDER BY id LIMIT $3`;
