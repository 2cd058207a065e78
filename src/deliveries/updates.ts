import type { Queryable } from "../db/db.js";
import { REACHED } from "./statuses.js";
import { statusIn } from "./transitions.js";
import { CLOSING_CHANNEL } from "./closing.js";

/**
 * Transition update: one update message per participant reached (REACHED, statuses.ts) who is still active, for
 * update number `seq` of the alert. It goes the way a closing message goes (SMS to those who take SMS on a mobile,
 * a short call to voice-only participants); the send-time check (send.ts) stops it after a cancel, a close or a STOP.
 * Returns how many were written: each participant once, whatever their alert channels.
 */
export const updateMessages = {
  forAlert: async (db: Queryable, alertId: string, seq: number, urgent: boolean) =>
    (
      await db.query(
        `INSERT INTO deliveries (alert_id, participant_id, phone, channel, purpose, update_seq, language, urgent, rank,
                                 distance_m)
         SELECT DISTINCT ON (d.participant_id) d.alert_id, d.participant_id, d.phone, ${CLOSING_CHANNEL},
                'update', $2, d.language, $3, d.rank, d.distance_m
           FROM deliveries d JOIN participants p ON p.id = d.participant_id
          WHERE d.alert_id = $1 AND d.purpose = 'alert' AND ${statusIn(REACHED, "d.status")} AND p.status = 'active'
          ORDER BY d.participant_id, d.rank
         ON CONFLICT DO NOTHING`,
        [alertId, seq, urgent],
      )
    ).rowCount ?? 0,

  /**
   * Reached while the alert is live, after a follow-up went to those reached: the latest such update too, unless
   * the message itself already carried it (an SMS taken, or a call answered, after the update was made: both read
   * the alert's texts then) or the participant has it already.
   */
  ifUpdatedSince: (tx: Queryable, deliveryId: number) =>
    tx.query(
      `INSERT INTO deliveries (alert_id, participant_id, phone, channel, purpose, update_seq, language, urgent, rank,
                               distance_m)
       SELECT d.alert_id, d.participant_id, d.phone, ${CLOSING_CHANNEL}, 'update', u.seq, d.language, d.urgent,
              d.rank, d.distance_m
         FROM deliveries d JOIN participants p ON p.id = d.participant_id
        CROSS JOIN LATERAL (SELECT seq FROM alert_updates u
                             WHERE u.alert_id = d.alert_id AND u.notify = 'reached'
                               AND u.created_at > coalesce(d.answered_at, d.sending_at)
                             ORDER BY seq DESC LIMIT 1) u
        WHERE d.id = $1 AND d.purpose = 'alert' AND p.status = 'active' AND ${statusIn(REACHED, "d.status")}
          AND NOT EXISTS (SELECT 1 FROM deliveries x WHERE x.alert_id = d.alert_id AND x.phone = d.phone
                             AND x.purpose = 'update' AND x.update_seq >= u.seq)
       ON CONFLICT DO NOTHING`,
      [deliveryId],
    ),
};
