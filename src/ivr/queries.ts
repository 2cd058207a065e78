import { LIVE_ALERT_STATUSES, type AlertStatus } from "../alerts/states.js";
import { prepared, type Queryable } from "../db/db.js";
import { callbackTransitions } from "../deliveries/callbacks.js";
import type { Language } from "../languages/languages.js";
import type { AlertKind } from "./script-types.js";

export type AlertTexts = { nl: { voice: string; sms: string } } & Partial<
  Record<Language, { voice: string; sms: string }>
>;

export interface AlertRow {
  alert_id: string;
  region_code: string;
  region_name: string;
  region_meldkamer: string | null;
  kind: AlertKind;
  status: AlertStatus;
  texts: AlertTexts;
  center_lat: number;
  center_lon: number;
  expires_at: Date;
  closing_message: string | null;
  created_at: Date;
  /** The alert row's version (xmin): changes with every update of the alert. */
  alert_version: string;
  presence_check: boolean;
  /** The alert is a drill (sql/020). */
  drill: boolean;
}

export interface DeliveryRow extends AlertRow {
  delivery_id: number;
  participant_id: string;
  phone: string;
  language: Language;
  distance_m: number;
  purpose: "alert" | "closing" | "update";
  participant_status: string;
  /** The alert has a photo and this participant gets the alert by SMS too: its link brings the photo. */
  photo_by_sms: boolean;
  /** An update call: the update's voice text in the participant's language (Dutch when it has none in it). */
  update_text: string | null;
}

export interface CallerRow {
  id: string;
  text_only: boolean;
  language: Language;
  home_postcode: string | null;
}

export interface LocationPoint {
  lat: number;
  lon: number;
}

const ALERT_COLUMNS = `a.id AS alert_id, a.region_code, r.name AS region_name, r.meldkamer_number AS region_meldkamer,
  a.kind, a.status, a.texts, a.center_lat, a.center_lon, a.expires_at, a.closing_message, a.created_at,
  a.xmin::text AS alert_version, a.presence_check, a.mode = 'drill' AS drill`;

/** Every TwiML request of an alert call starts here: prepared once per connection. */
const deliveryStatement = prepared(
  "ivr-delivery",
  `SELECT d.id AS delivery_id, d.participant_id, d.phone, d.language, d.distance_m, d.purpose,
          p.status AS participant_status, ${ALERT_COLUMNS},
          (d.purpose = 'alert' AND EXISTS (SELECT 1 FROM alert_photos ph WHERE ph.alert_id = d.alert_id)
           AND EXISTS (SELECT 1 FROM deliveries s WHERE s.alert_id = d.alert_id AND s.participant_id = d.participant_id
                          AND s.channel = 'sms' AND s.purpose = 'alert')) AS photo_by_sms,
          CASE WHEN d.purpose = 'update' THEN (
            SELECT coalesce(u.texts -> d.language ->> 'voice', u.texts -> 'nl' ->> 'voice')
              FROM alert_updates u WHERE u.alert_id = d.alert_id AND u.seq = d.update_seq) END AS update_text
     FROM deliveries d JOIN alerts a ON a.id = d.alert_id JOIN regions r ON r.code = a.region_code
     JOIN participants p ON p.id = d.participant_id
    WHERE d.id = $1`,
);

export const ivrQueries = {
  delivery: (db: Queryable, deliveryId: number) => db.query<DeliveryRow>(deliveryStatement, [deliveryId]),

  /** An alert heard on the Burgernet number, with the caller's own delivery of it when there is one. */
  alert: (db: Queryable, alertId: string, phone: string) =>
    db.query<AlertRow & { delivery_id: number | null; distance_m: number | null }>(
      `SELECT ${ALERT_COLUMNS}, own.id AS delivery_id, own.distance_m
         FROM alerts a
         LEFT JOIN LATERAL (SELECT d.id, d.distance_m FROM deliveries d WHERE d.alert_id = a.id AND d.phone = $2
                             ORDER BY d.id DESC LIMIT 1) own ON true
         JOIN regions r ON r.code = a.region_code WHERE a.id = $1`,
      [alertId, phone],
    ),

  /**
   * Alerts still running, each with whether it was delivered to this phone; newest first. A drill only for a caller
   * who takes part in drills.
   */
  liveAlerts: (db: Queryable, phone: string, now: Date) =>
    db.query<AlertRow & { delivered: boolean }>(
      `SELECT ${ALERT_COLUMNS},
              EXISTS (SELECT 1 FROM deliveries d WHERE d.alert_id = a.id AND d.phone = $1) AS delivered
         FROM alerts a JOIN regions r ON r.code = a.region_code
        WHERE a.status = ANY($3::text[]) AND a.expires_at > $2
          AND (a.mode = 'live'
               OR EXISTS (SELECT 1 FROM participants p WHERE p.phone = $1 AND p.status = 'active' AND p.drills))
        ORDER BY a.priority = 'urgent' DESC, a.created_at DESC, a.id`,
      [phone, now, LIVE_ALERT_STATUSES],
    ),

  /** The active participant with this phone and their home postcode (or any postcode when there is no home). */
  caller: (db: Queryable, phone: string) =>
    db.query<CallerRow>(
      `SELECT p.id, p.language, p.text_only,
              (SELECT l.postcode FROM participant_locations l WHERE l.participant_id = p.id
                ORDER BY l.kind = 'home' DESC, l.postcode LIMIT 1) AS home_postcode
         FROM participants p WHERE p.phone = $1 AND p.status = 'active'`,
      [phone],
    ),

  locations: (db: Queryable, participantId: string) =>
    db.query<LocationPoint>("SELECT lat, lon FROM participant_locations WHERE participant_id = $1", [participantId]),

  region: (db: Queryable, code: string) =>
    db.query<{ code: string; name: string; meldkamer_number: string | null }>(
      "SELECT code, name, meldkamer_number FROM regions WHERE code = $1",
      [code],
    ),

  /** Written by src/deliveries/ (callbacks.ts), as every change to a delivery. */
  setAnsweredBy: callbackTransitions.answeredBy,
  /** Who answered the delivery's call, as the AMD callback recorded it; null while detection runs. */
  answeredBy: async (db: Queryable, deliveryId: number): Promise<string | null> =>
    (await db.query<{ answered_by: string | null }>("SELECT answered_by FROM deliveries WHERE id = $1", [deliveryId]))
      .rows[0]?.answered_by ?? null,

  /** The latest alert sent to this phone that is still running: where an SMS reply belongs. */
  latestLiveDelivery: (db: Queryable, phone: string, now: Date) =>
    db.query<{
      delivery_id: number;
      alert_id: string;
      region_code: string;
      participant_id: string;
      center_lat: number;
      center_lon: number;
      presence_check: boolean;
    }>(
      `SELECT d.id AS delivery_id, d.alert_id, a.region_code, d.participant_id, a.center_lat, a.center_lon,
              a.presence_check
         FROM deliveries d JOIN alerts a ON a.id = d.alert_id
        WHERE d.phone = $1 AND a.status = ANY($3::text[]) AND a.expires_at > $2
        ORDER BY d.created_at DESC, d.id DESC LIMIT 1`,
      [phone, now, LIVE_ALERT_STATUSES],
    ),
};
