import type { Queryable } from "../db/db.js";
import { REACHED } from "./statuses.js";
import { statusIn } from "./transitions.js";

/** The closing message goes by SMS when the participant takes SMS on a mobile number, else by voice (p in scope). */
export const CLOSING_CHANNEL =
  "CASE WHEN 'sms' = ANY (p.channels) AND p.phone_type = 'mobile' THEN 'sms' ELSE 'voice' END";

/**
 * Transition closing: one closing message per participant reached (REACHED, statuses.ts) who is still active. Its
 * two forms: the whole alert when it closes, and one delivery reached after it closed.
 */
export const closingMessages = {
  /** The alert closed: everyone reached so far. */
  forAlert: (db: Queryable, alertId: string, urgent: boolean) =>
    db.query(
      `INSERT INTO deliveries (alert_id, participant_id, phone, channel, purpose, language, urgent, rank, distance_m)
       SELECT DISTINCT ON (d.participant_id) d.alert_id, d.participant_id, d.phone, ${CLOSING_CHANNEL},
              'closing', d.language, $2, d.rank, d.distance_m
         FROM deliveries d JOIN participants p ON p.id = d.participant_id
        WHERE d.alert_id = $1 AND d.purpose = 'alert' AND ${statusIn(REACHED, "d.status")} AND p.status = 'active'
        ORDER BY d.participant_id, d.rank
       ON CONFLICT DO NOTHING`,
      [alertId, urgent],
    ),

  /** Reached after its alert was closed (a call answered late, a callback settled late): the closing message too. */
  ifClosed: (tx: Queryable, deliveryId: number) =>
    tx.query(
      `INSERT INTO deliveries (alert_id, participant_id, phone, channel, purpose, language, urgent, rank, distance_m)
       SELECT d.alert_id, d.participant_id, d.phone, ${CLOSING_CHANNEL}, 'closing', d.language, d.urgent, d.rank,
              d.distance_m
         FROM deliveries d JOIN alerts a ON a.id = d.alert_id JOIN participants p ON p.id = d.participant_id
        WHERE d.id = $1 AND d.purpose = 'alert' AND a.status = 'closed' AND p.status = 'active'
          AND ${statusIn(REACHED, "d.status")}
       ON CONFLICT DO NOTHING`,
      [deliveryId],
    ),
};
