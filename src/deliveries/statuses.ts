/**
 * The statuses of a delivery (one call or SMS of an alert or its closing message) and their groups: the one
 * definition, enforced by the database too (sql/011). src/deliveries/ owns the `deliveries` table; no other folder
 * names a status (test/deliveries/ownership.test.ts).
 *
 * Groups. Every status is in exactly one of WAITING, AT_CARRIER and FINAL: where the delivery is in its life.
 * REACHED says the message got through; it is what the closing message goes to and what every "reached" figure
 * counts (the alert's GET, the report, alert.progress, the console, the demo), always as participants: one with a
 * call answered and an SMS delivered is one participant reached, and gets one closing message. `sent` is both at
 * the carrier and reached: an SMS the carrier sent, whose delivery receipt may never come.
 */
/** Not yet at the carrier: waiting for its turn (held under a lease or not), or its request in flight. */
export const WAITING = ["pending", "sending"] as const;
/** Accepted by the carrier, final status not yet known. */
export const AT_CARRIER = ["submitted", "ringing", "in_progress", "sent"] as const;
/** Nothing changes any more (unless the retry policy puts a busy or unanswered call back in line). */
export const FINAL = [
  "answered",
  "voicemail",
  "delivered",
  "busy",
  "no_answer",
  "failed",
  "canceled",
  "undelivered",
] as const;
/** Every status, each in exactly one of the three groups above (so by construction). */
export const DELIVERY_STATUSES = [...WAITING, ...AT_CARRIER, ...FINAL] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
type Group = readonly DeliveryStatus[];

/** The message got through: these get the closing message. */
export const REACHED = ["answered", "voicemail", "delivered", "sent"] as const satisfies Group;
/** Someone picked up (or the machine did): the call's answered_at is set. */
export const ANSWERED = ["in_progress", "answered", "voicemail"] as const satisfies Group;
/** Failed for good on either channel. */
export const FAILED = ["failed", "undelivered"] as const satisfies Group;

/** Single statuses other folders test for, by name (a literal outside src/deliveries/ fails the ownership test). */
export const STATUS = {
  pending: "pending",
  sending: "sending",
  answered: "answered",
  voicemail: "voicemail",
  sent: "sent",
  delivered: "delivered",
  busy: "busy",
  noAnswer: "no_answer",
  canceled: "canceled",
} as const satisfies Record<string, DeliveryStatus>;

export const isIn = (group: Group, status: string) => (group as readonly string[]).includes(status);

/** Why a delivery ended without being sent. */
export const END_REASONS = [
  "unsubscribed",
  "erased",
  "channel_removed",
  "alert_cancelled",
  "alert_closed",
  "expired",
  "quiet_hours",
  "no_drills",
] as const;
export type EndReason = (typeof END_REASONS)[number];
