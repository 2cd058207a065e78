import { prepared, type Queryable } from "../db/db.js";
import { sqlList } from "../db/sql-list.js";
import { STATUS } from "./statuses.js";

/**
 * The answer to "are you nearby now?", kept on the delivery that asked it (issue 25): `near` (yes, or "eyes in the
 * area"), `away` (no), `unknown` (asked in a call, no usable answer: the alert was played anyway). NULL: not asked,
 * or an SMS not replied to.
 */
export const PRESENCE_ANSWERS = ["near", "away", "unknown"] as const;
export type Presence = (typeof PRESENCE_ANSWERS)[number];
export type PresenceCounts = Record<Presence, number>;

/** One participant's answer over their deliveries of an alert (a call and an SMS): near wins, then away. */
export const PRESENCE_OF_PARTICIPANT = `CASE WHEN bool_or(presence = 'near') THEN 'near'
  WHEN bool_or(presence = 'away') THEN 'away' WHEN bool_or(presence = 'unknown') THEN 'unknown' END`;

// A real answer replaces `unknown` (a late SMS reply after a silent call) but never another real answer: Twilio's
// retry of the same webhook, or a second reply, changes nothing.
const recordStatement = prepared(
  "deliveries-record-presence",
  `UPDATE deliveries SET presence = $2, presence_at = $3, updated_at = now()
    WHERE id = $1 AND purpose = 'alert'
      AND (presence IS NULL OR (presence = 'unknown' AND $2 <> 'unknown'))
   RETURNING alert_id`,
);

/** Records the citizen's answer on their delivery; true when it changed what the alert counts. */
export async function recordPresence(db: Queryable, deliveryId: number, answer: Presence, at: Date) {
  if (!PRESENCE_ANSWERS.includes(answer)) throw new Error(`not a presence answer: ${answer}`);
  return ((await db.query(recordStatement, [deliveryId, answer, at])).rowCount ?? 0) > 0;
}

const respondersStatement = prepared(
  "deliveries-responders",
  `SELECT count(*)::int AS n FROM (
     SELECT participant_id FROM deliveries
      WHERE alert_id = $1 AND purpose = 'alert'
        AND (presence = 'near'
             OR (presence IS NULL AND channel = 'voice' AND status IN (${sqlList([STATUS.answered])})))
     UNION
     SELECT participant_id FROM sightings WHERE alert_id = $1 AND participant_id IS NOT NULL) responders`,
);

/**
 * Participants who can look now: those who said they are near, those who answered a call that did not ask (as every
 * answered call counted before the question existed), and those who gave a tip. Not counted: `away`, `unknown`, an
 * SMS not replied to. Automatic escalation (widening the area) weighs this figure (src/alerts/answered.ts).
 */
export async function respondersOf(db: Queryable, alertId: string): Promise<number> {
  return (await db.query<{ n: number }>(respondersStatement, [alertId])).rows[0].n;
}
