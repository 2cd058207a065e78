import type { Queryable, Row } from "../db/db.js";

/** Statements of the alert report; its delivery counts are src/deliveries/counts.ts. */
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

export interface SightingCounts {
  tips: number;
  voice: number;
  sms: number;
  inbound: number;
  first_tip_at: Date | null;
}

export const reportQueries = {
  alertHead: (db: Queryable, alertId: string) =>
    db.query<{ id: string; region_code: string; status: string; created_at: Date; mode: string; widened: number }>(
      "SELECT id, region_code, status, created_at, mode, widened FROM alerts WHERE id = $1",
      [alertId],
    ),
  sightingCounts: (db: Queryable, alertId: string) => db.query<SightingCounts>(sightingCounts, [alertId]),
  putThroughCount: (db: Queryable, alertId: string) => db.query<{ n: number }>(putThroughCount, [alertId]),
  followUps: (db: Queryable, alertId: string) =>
    db.query<{ updates: number; notified: number }>(
      `SELECT count(*)::int AS updates, coalesce(sum(notified), 0)::int AS notified
         FROM alert_updates WHERE alert_id = $1`,
      [alertId],
    ),
  /** Keyset pages, so a 200,000-row export never sits in memory at once. */
  deliveryPage: (db: Queryable, alertId: string, after: number, limit: number) =>
    db.query<Row & { id: number }>(deliveryPage, [alertId, after, limit]),
};
