import { localMinutes } from "../../src/rules/quiet-hours.js";

/**
 * A clock that reads `hhmm` in Amsterdam now and then runs on with real time. It jumps forward (never back, so
 * alert expiries computed from it stay in the database's future) to the next moment that local time is `hhmm`.
 */
export function amsterdamClockAt(hhmm: string): () => Date {
  const target = Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const now = new Date();
  const minutesAhead = (target - localMinutes(now, "Europe/Amsterdam") + 24 * 60) % (24 * 60);
  const shiftMs = minutesAhead * 60_000 - now.getSeconds() * 1000;
  return () => new Date(Date.now() + shiftMs);
}
