import type { Queryable } from "../db/db.js";

export interface SightingRow {
  id: string;
  alert_id: string | null;
  region_code: string;
  source: "voice" | "sms" | "inbound";
  caller_phone: string | null;
  digits: string | null;
  transcript: string | null;
  confidence: number | null;
  recording_url: string | null;
  recording_duration_s: number | null;
  distance_m: number | null;
  created_at: Date;
  /** The caller's registered postcode nearest the alert (only its PC4 area is ever shown). */
  caller_postcode: string | null;
  cluster_id: string | null;
  plates: string[];
  names_alert_plate: boolean;
  place_lat: number | null;
  place_lon: number | null;
}

const COLUMNS = `id, alert_id, region_code, source, caller_phone, digits, transcript, confidence, recording_url,
  recording_duration_s, distance_m, created_at, cluster_id, plates, names_alert_plate, place_lat, place_lon,
  (SELECT pl.postcode FROM participant_locations pl JOIN alerts a ON a.id = sightings.alert_id
    WHERE pl.participant_id = sightings.participant_id
    ORDER BY (pl.lat - a.center_lat) ^ 2 + (pl.lon - a.center_lon) ^ 2 LIMIT 1) AS caller_postcode`;

export const sightingQueries = {
  byIds: (db: Queryable, ids: string[]) =>
    db.query<SightingRow>(`SELECT ${COLUMNS} FROM sightings WHERE id = ANY ($1::uuid[])`, [ids]),

  get: (db: Queryable, id: string) => db.query<SightingRow>(`SELECT ${COLUMNS} FROM sightings WHERE id = $1`, [id]),

  /** Oldest first, keyset pages by (created_at, id). */
  ofAlert: (db: Queryable, alertId: string, after: { at: Date; id: string } | null, limit: number) =>
    db.query<SightingRow>(
      `SELECT ${COLUMNS} FROM sightings
        WHERE alert_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3::uuid))
        ORDER BY created_at, id LIMIT $4`,
      [alertId, after?.at ?? null, after?.id ?? null, limit],
    ),

  alertRegion: (db: Queryable, alertId: string) =>
    db.query<{ region_code: string }>("SELECT region_code FROM alerts WHERE id = $1", [alertId]),
};
