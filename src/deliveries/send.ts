import { prepared, type Queryable } from "../db/db.js";
import type { EndReason } from "./statuses.js";
import { ALERT_END_REASON, LIVE_FOR_PURPOSE, fromStatuses } from "./transitions.js";
import type { Language } from "../languages/languages.js";

/** What the send-time check made of a held delivery. */
export interface TakenDelivery {
  id: number;
  alert_id: string;
  /** `sending`: send it now; `pending`: it became an SMS (quiet hours); `canceled`: ended with `end_reason`. */
  status: "sending" | "pending" | "canceled";
  end_reason: EndReason | null;
  phone: string;
  channel: "voice" | "sms";
  purpose: "alert" | "closing" | "update";
  language: Language;
  attempts: number;
  text: string;
  /** An alert text the alert has not in the participant's language: the Dutch one goes, introduced. */
  fallback: boolean;
  /** The alert asks "are you nearby now?": the SMS ends with the question (presence/sms-question.ts). */
  ask_presence?: boolean;
  /** An alert SMS whose alert has a photo: it carries a link to the photo page (src/photos). */
  has_photo?: boolean;
  /** The link's token, made once the delivery is taken (src/deliveries/photo-links.ts). */
  photo_token?: string;
  /** A drill: every message says so first. */
  drill?: boolean;
}

/** The take's verdict, as the dispatcher acts on it. */
export const takeVerdict = (d: TakenDelivery | undefined): "send" | "toSms" | "ended" | "gone" =>
  !d ? "gone" : d.status === "sending" ? "send" : d.status === "pending" ? "toSms" : "ended";

/**
 * Transitions take / skip / toSms, in one statement per request, right before it goes out: the citizen's latest
 * word and the alert's state decide, whatever this instance knew when it held the batch. $3: quiet hours now.
 */
const takeStatement = prepared(
  "dispatch-take",
  `WITH c AS (
     SELECT d.id, CASE
         WHEN NOT ${LIVE_FOR_PURPOSE} THEN ${ALERT_END_REASON}
         WHEN p.id IS NULL OR p.status = 'erased' THEN 'erased'
         WHEN p.status <> 'active' THEN 'unsubscribed'
         WHEN a.mode = 'drill' AND NOT p.drills THEN 'no_drills'
         WHEN NOT (d.channel = ANY (p.channels)) THEN 'channel_removed'
         -- Text only since targeting: never called; an SMS instead, unless one of this alert is there already.
         WHEN d.channel = 'voice' AND p.text_only THEN
           CASE WHEN 'sms' = ANY (p.channels) AND p.phone_type = 'mobile' AND NOT EXISTS (
                  SELECT 1 FROM deliveries s WHERE s.alert_id = d.alert_id AND s.phone = d.phone AND s.channel = 'sms'
                     AND s.purpose = d.purpose) THEN 'to_sms'
                ELSE 'channel_removed' END
         WHEN $3::boolean AND d.channel = 'voice' AND NOT d.urgent THEN
           CASE WHEN 'sms' = ANY (p.channels) AND p.phone_type = 'mobile' AND NOT EXISTS (
                  SELECT 1 FROM deliveries s WHERE s.alert_id = d.alert_id AND s.phone = d.phone AND s.channel = 'sms'
                     AND s.purpose = d.purpose) THEN 'to_sms'
                ELSE 'quiet_hours' END
         ELSE 'send' END AS verdict
       FROM deliveries d JOIN alerts a ON a.id = d.alert_id LEFT JOIN participants p ON p.id = d.participant_id
      WHERE d.id = $1 AND d.${fromStatuses("take")} AND d.lease_owner = $2
        FOR UPDATE OF d)
   UPDATE deliveries d SET
          status = CASE c.verdict WHEN 'send' THEN 'sending' WHEN 'to_sms' THEN 'pending' ELSE 'canceled' END,
          channel = CASE c.verdict WHEN 'to_sms' THEN 'sms' ELSE d.channel END,
          attempts = d.attempts + (c.verdict = 'send')::int,
          sending_at = CASE c.verdict WHEN 'send' THEN now() ELSE d.sending_at END,
          lease_owner = CASE c.verdict WHEN 'send' THEN $2 END,
          lease_expires_at = CASE c.verdict WHEN 'send' THEN now() + $4 * interval '1 millisecond' END,
          next_attempt_at = now(),
          end_reason = CASE WHEN c.verdict IN ('send', 'to_sms') THEN NULL ELSE c.verdict END,
          completed_at = CASE WHEN c.verdict IN ('send', 'to_sms') THEN NULL ELSE now() END,
          updated_at = now()
     FROM c, alerts a
    WHERE d.id = c.id AND a.id = d.alert_id
   RETURNING d.id, d.alert_id, d.status, d.end_reason, d.phone, d.channel, d.purpose, d.language, d.attempts,
             CASE WHEN d.purpose = 'closing' THEN a.closing_message
                  WHEN d.purpose = 'update' THEN (
                    SELECT coalesce(u.texts -> d.language ->> d.channel, u.texts -> 'nl' ->> d.channel)
                      FROM alert_updates u WHERE u.alert_id = d.alert_id AND u.seq = d.update_seq)
                  ELSE coalesce(a.texts -> d.language ->> d.channel, a.texts -> 'nl' ->> d.channel) END AS text,
             d.purpose = 'alert' AND a.texts -> d.language ->> d.channel IS NULL AS fallback,
             a.presence_check AND d.purpose = 'alert' AS ask_presence,
             (d.purpose = 'alert' AND d.channel = 'sms'
              AND EXISTS (SELECT 1 FROM alert_photos ph WHERE ph.alert_id = d.alert_id)) AS has_photo,
             a.mode = 'drill' AS drill`,
);

/** The one-row form of transition submitted (the batched form is submittedMany). */
const submittedStatement = prepared(
  "dispatch-submitted",
  `UPDATE deliveries SET provider_sid = coalesce(provider_sid, $2),
          status = CASE WHEN ${fromStatuses("submitted")} THEN 'submitted' ELSE status END,
          lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
    WHERE id = $1`,
);

// Transition submitted for many deliveries in one statement. The rows are locked in id order first, as a batch of
// status callbacks locks them: an UPDATE … FROM locks in whatever order its plan visits the rows, and deadlocked with
// such a batch (both waited deadlock_timeout, 1 s).
const submittedManyStatement = prepared(
  "dispatch-submitted-many",
  `WITH locked AS (SELECT id FROM deliveries WHERE id = ANY ($1::bigint[]) ORDER BY id FOR UPDATE)
   UPDATE deliveries d SET provider_sid = coalesce(d.provider_sid, m.sid),
          status = CASE WHEN ${fromStatuses("submitted", "d.status")} THEN 'submitted' ELSE d.status END,
          lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
     FROM unnest($1::bigint[], $2::text[]) AS m (id, sid), locked l
    WHERE d.id = m.id AND l.id = m.id`,
);

/** From held to the carrier's answer: the dispatcher's writes, each a named transition (transitions.ts). */
export const sendTransitions = {
  take: (db: Queryable, id: number, owner: string, quiet: boolean, leaseMs: number) =>
    db.query<TakenDelivery>(takeStatement, [id, owner, quiet, leaseMs]),

  /** Not a status change: held here but never taken (shutdown, halt, breaker open): due again at once, anywhere. */
  release: (db: Queryable, ids: number[], owner: string) =>
    db.query(
      `UPDATE deliveries SET lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = now()
        WHERE id = ANY ($1) AND status = 'pending' AND lease_owner = $2`,
      [ids, owner],
    ),

  /** Transition submitted, the SID recorded. */
  submitted: (db: Queryable, id: number, sid: string) => db.query(submittedStatement, [id, sid]),
  /** Transition submitted for many, the SIDs recorded (ids in ascending order). */
  submittedMany: (db: Queryable, ids: number[], sids: string[]) => db.query(submittedManyStatement, [ids, sids]),

  /** Transition backToPending: not placed (outage, halted channel); the attempt does not count. */
  backToPending: (db: Queryable, id: number, afterMs: number, code: number | null, message: string) =>
    db.query(
      `UPDATE deliveries SET status = 'pending', attempts = attempts - 1,
              next_attempt_at = now() + $2 * interval '1 millisecond',
              last_error_code = $3, last_error = $4, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND ${fromStatuses("backToPending")}`,
      [id, afterMs, code, message],
    ),

  /** Transition refused: the carrier will never take this number on this channel. */
  refused: (db: Queryable, id: number, code: number | null, message: string) =>
    db.query(
      `UPDATE deliveries SET status = 'failed', last_error_code = $2, last_error = $3, completed_at = now(),
              lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND ${fromStatuses("refused")}`,
      [id, code, message],
    ),

  /** Not a status change: outcome unknown (no HTTP answer, or the SID not stored); the reconciler asks the carrier. */
  unknown: (db: Queryable, id: number, message: string) =>
    db.query(
      `UPDATE deliveries SET lease_expires_at = '-infinity', last_error = $2, updated_at = now()
        WHERE id = $1 AND status = 'sending'`,
      [id, message],
    ),

  /** Transitions backToPending / dropped: never reached the carrier after all; in line again if still live. */
  notSent: (db: Queryable, id: number) =>
    db.query(
      `UPDATE deliveries d SET status = CASE WHEN ${LIVE_FOR_PURPOSE} THEN 'pending' ELSE 'canceled' END,
              end_reason = CASE WHEN ${LIVE_FOR_PURPOSE} THEN NULL ELSE ${ALERT_END_REASON} END,
              attempts = d.attempts - 1, lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = now(),
              updated_at = now()
         FROM alerts a WHERE a.id = d.alert_id AND d.id = $1 AND ${fromStatuses("dropped", "d.status")}`,
      [id],
    ),
};
