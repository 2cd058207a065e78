import type { Queryable } from "../db/db.js";
import { respondersOf } from "../deliveries/presence.js";

/**
 * How many participants have answered the alert, as automatic escalation counts them: eyes in the area. Those who
 * said they are near ("are you nearby now?"), those who picked up a call that did not ask (a voicemail is no answer),
 * and those who gave a tip; not those who said they are away. The one place that decides; escalation follows it.
 */
export async function answeredCount(db: Queryable, alertId: string): Promise<number> {
  return respondersOf(db, alertId);
}
