import type { Queryable, Row } from "../db/db.js";

/** Statements of the alert report. Only first attempts of the alert itself count (not closing messages). */
const deliveryCounts = `
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
    count(*) FILTER (WHERE status IN ('pending', 'claimed', 'sending', 'submitted', 'ringing', 'in_progress', 'sent'))
      ::int AS in_progress,
    count(DISTINCT participant_id) FILTER (WHERE status IN ('answered', 'voicemail', 'delivered'))::int AS reached,
    min(answered_at) FILTER (WHERE channel = 'voice' AND status = 'answered') AS first_answer_at
  FROM deliveries WHERE alert_id = $1 AND purpose = 'alert'`;

const sightingCounts = `
  SELECT count(*)::int AS tips,
         count(*) FILTER (WHERE source = 'voice')::int AS voice,
         count(*) FILTER (WHERE source = 'sms')::int AS sms,
         count(*) FILTER (WHERE source = 'inbound')::int AS inbound,
         min(created_at) AS first_tip_at
  FROM sightings WHERE alert_id = $1`;

const putThroughCount = "SELECT count(*)::int AS n FROM events WHERE alert_id = $1 AND type = 'call.connected'";

const deliveryPage = `
  SELECT id, channel, purpose, language, rank, distance_m, phone, status, attempts, answered_by,
         answered_at, completed_at, duration_s, last_error_code
  FROM deliveries WHERE alert_id = $1 AND id > $2 ORDER BY id LIMIT $3`;

export interface DeliveryCounts {
  targeted: number;
  calls: number;
  answered: number;
  voicemail: number;
  busy: number;
  no_answer: number;
  calls_failed: number;
  sms: number;
  sms_delivered: number;
  sms_failed: number;
  canceled: number;
  in_progress: number;
  reached: number;
  first_answer_at: Date | null;
}

export interface SightingCounts {
  tips: number;
  voice: number;
  sms: number;
  inbound: number;
  first_tip_at: Date | null;
}

export const reportQueries = {
  alertHead: (db: Queryable, alertId: string) =>
    db.query<{ id: string; region_code: string; status: string; created_at: Date }>(
      "SELECT id, region_code, status, created_at FROM alerts WHERE id = $1",
      [alertId],
    ),
  deliveryCounts: (db: Queryable, alertId: string) => db.query<DeliveryCounts>(deliveryCounts, [alertId]),
  sightingCounts: (db: Queryable, alertId: string) => db.query<SightingCounts>(sightingCounts, [alertId]),
  putThroughCount: (db: Queryable, alertId: string) => db.query<{ n: number }>(putThroughCount, [alertId]),
  /** Keyset pages, so a 200,000-row export never sits in memory at once. */
  deliveryPage: (db: Queryable, alertId: string, after: number, limit: number) =>
    db.query<Row & { id: number }>(deliveryPage, [alertId, after, limit]),
};
