import type { Queryable } from "../db/db.js";
import { STATUS } from "../deliveries/statuses.js";

/**
 * How many participants have answered the alert, as automatic escalation counts them: a person picked up its call
 * (a voicemail is no answer), or a tip came in for it. The one place that decides; widen it here (e.g. "near"
 * answers) and escalation follows.
 */
export async function answeredCount(db: Queryable, alertId: string): Promise<number> {
  const res = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (
       SELECT participant_id FROM deliveries WHERE alert_id = $1 AND purpose = 'alert' AND status = $2
       UNION
       SELECT participant_id FROM sightings WHERE alert_id = $1 AND participant_id IS NOT NULL) answered`,
    [alertId, STATUS.answered],
  );
  return res.rows[0].n;
}
