import { LIVE_ALERT_STATUSES } from "../alerts/states.js";
import { sqlList } from "../db/sql-list.js";
import { AT_CARRIER, FINAL, type DeliveryStatus } from "./statuses.js";

/**
 * Every status change the service makes, by name. Each statement that writes `deliveries` lives in this folder,
 * names the transition it performs and takes its `WHERE status IN (…)` from here; the ones that change no status
 * (a lease, a SID, an erased number) say so.
 */
export const TRANSITIONS = {
  /** Targeting: one delivery per participant and channel (enqueue.ts). */
  enqueue: { from: [], to: ["pending"] },
  /** The closing message to everyone reached (closing.ts). */
  closing: { from: [], to: ["pending"] },
  /** A follow-up to everyone reached (updates.ts). */
  update: { from: [], to: ["pending"] },
  /** The send-time check passed: the request goes out now. */
  take: { from: ["pending"], to: ["sending"] },
  /** The send-time check failed (unsubscribed, erased, cancelled, expired, quiet hours): never sent. */
  skip: { from: ["pending"], to: ["canceled"] },
  /** Quiet hours: the call becomes an SMS, which waits for its own turn. */
  toSms: { from: ["pending"], to: ["pending"] },
  /** The carrier accepted it (its SID recorded); a callback may already have moved it further. */
  submitted: { from: ["sending"], to: ["submitted"] },
  /** Not placed (outage, account halt), or never reached the carrier after all: in line again. */
  backToPending: { from: ["sending"], to: ["pending"] },
  /** Refused for this number for good. */
  refused: { from: ["sending"], to: ["failed"] },
  /** Never reached the carrier, and its alert is no longer live. */
  dropped: { from: ["sending"], to: ["canceled"] },
  /**
   * A status callback (or the carrier's answer to a fetch) moved it forward; from pending when a request we took
   * for lost did reach the carrier after all (its callback then keeps it from being sent again).
   */
  progress: { from: ["pending", "sending", ...AT_CARRIER], to: [...AT_CARRIER, ...FINAL] },
  /** Busy or no answer: called again later. */
  retry: { from: ["sending", ...AT_CARRIER], to: ["pending"] },
  /** The alert was cancelled, closed or expired before its turn. */
  cancelUnsent: { from: ["pending"], to: ["canceled"] },
  /** The participant's number was erased: what is not yet at the carrier ends (erasure.ts). */
  erased: { from: ["pending", "sending"], to: ["canceled"] },
  /**
   * After a restore: the carrier has a call or message to this number made after the dump (restored.ts); that is
   * this delivery's latest attempt, whose record is then applied as its callback would have been.
   */
  adopt: { from: ["pending", "sending", ...AT_CARRIER], to: ["submitted"] },
} as const satisfies Record<string, { from: readonly DeliveryStatus[]; to: readonly DeliveryStatus[] }>;
export type TransitionName = keyof typeof TRANSITIONS;

/** `status IN (…)` of the statuses a transition starts from. */
export const fromStatuses = (name: TransitionName, column = "status") =>
  `${column} IN (${sqlList(TRANSITIONS[name].from)})`;

/** `column IN (…)` of a group of statuses.ts. */
export const statusIn = (group: readonly DeliveryStatus[], column = "status") => `${column} IN (${sqlList(group)})`;

/** The transitions that allow moving from one status to another (empty: that move never happens). */
export function transitionsBetween(from: DeliveryStatus, to: DeliveryStatus): TransitionName[] {
  return (Object.keys(TRANSITIONS) as TransitionName[]).filter((name) => {
    const t = TRANSITIONS[name] as { from: readonly DeliveryStatus[]; to: readonly DeliveryStatus[] };
    return t.from.includes(from) && t.to.includes(to);
  });
}

/** Is the alert (`a`) still one to send this delivery's (`d`) purpose for? */
// Stryker disable next-line StringLiteral: SQL, run by the dispatch tests on a database, not by the pure ones.
export const LIVE_FOR_PURPOSE = `
  ((d.purpose IN ('alert', 'update') AND a.status IN (${sqlList(LIVE_ALERT_STATUSES)}) AND a.expires_at > now())
   OR (d.purpose = 'closing' AND a.status = 'closed'))`;

/** Why an alert no longer takes this delivery's purpose (d, a in scope). */
export const ALERT_END_REASON = `CASE a.status WHEN 'cancelled' THEN 'alert_cancelled'
  WHEN 'closed' THEN CASE WHEN d.purpose = 'closing' THEN 'expired' ELSE 'alert_closed' END ELSE 'expired' END`;
