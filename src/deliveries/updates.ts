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
};
