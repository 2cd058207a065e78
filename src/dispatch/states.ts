/**
 * Delivery statuses, their groups and every transition between them, pure. The database enforces the same list
 * (sql/011). Status callbacks arrive late, twice, or out of order: a callback only ever moves a delivery forward,
 * and a final state is final unless the retry policy re-queues it.
 */
export const DELIVERY_STATUSES = [
  "pending",
  "sending",
  "submitted",
  "ringing",
  "in_progress",
  "sent",
  "answered",
  "voicemail",
  "delivered",
  "busy",
  "no_answer",
  "failed",
  "canceled",
  "undelivered",
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Not yet at the carrier: waiting for its turn (held under a lease or not), or its request in flight. */
export const WAITING = ["pending", "sending"] as const satisfies readonly DeliveryStatus[];
/** Accepted by the carrier, final status not yet known. */
export const AT_CARRIER = ["submitted", "ringing", "in_progress", "sent"] as const satisfies readonly DeliveryStatus[];
export const FINAL = [
  "answered",
  "voicemail",
  "delivered",
  "busy",
  "no_answer",
  "failed",
  "canceled",
  "undelivered",
] as const satisfies readonly DeliveryStatus[];
/** The message got through: these get the closing message. (`sent`: no delivery receipt may ever come.) */
export const REACHED = ["answered", "voicemail", "delivered", "sent"] as const satisfies readonly DeliveryStatus[];

/** Why a delivery ended without being sent. */
export const END_REASONS = [
  "unsubscribed",
  "erased",
  "channel_removed",
  "alert_cancelled",
  "alert_closed",
  "expired",
  "quiet_hours",
] as const;
export type EndReason = (typeof END_REASONS)[number];

/** `'a', 'b'` for an SQL IN list; only ever given the constants above. */
export const sqlList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(", ");

/** Is the alert (`a`) still one to send this delivery's (`d`) purpose for? */
// Stryker disable next-line StringLiteral: SQL, run by the dispatch tests on a database, not by the pure ones.
export const LIVE_FOR_PURPOSE = `
  ((d.purpose = 'alert' AND a.status IN ('dispatching', 'active') AND a.expires_at > now())
   OR (d.purpose = 'closing' AND a.status = 'closed'))`;

/**
 * Every status change the service makes, by name. The queries in queries.ts (and status-routes.ts) name the one
 * they perform and take their `WHERE status IN (…)` from here.
 */
export const TRANSITIONS = {
  /** The send-time check passed: the request goes out now. */
  take: { from: ["pending"], to: ["sending"] },
  /** The send-time check failed (unsubscribed, erased, cancelled, expired, quiet hours): never sent. */
  skip: { from: ["pending"], to: ["canceled"] },
  /** Quiet hours: the call becomes an SMS, which waits for its own turn. */
  toSms: { from: ["pending"], to: ["pending"] },
  /** The carrier accepted it; a callback may already have moved it further. */
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
} as const satisfies Record<string, { from: readonly DeliveryStatus[]; to: readonly DeliveryStatus[] }>;
export type TransitionName = keyof typeof TRANSITIONS;

/** `status IN (…)` of the statuses a transition starts from. */
export const fromStatuses = (name: TransitionName, column = "status") =>
  `${column} IN (${sqlList(TRANSITIONS[name].from)})`;

/** The transitions that allow moving from one status to another (empty: that move never happens). */
export function transitionsBetween(from: DeliveryStatus, to: DeliveryStatus): TransitionName[] {
  return (Object.keys(TRANSITIONS) as TransitionName[]).filter((name) => {
    const t = TRANSITIONS[name] as { from: readonly DeliveryStatus[]; to: readonly DeliveryStatus[] };
    return t.from.includes(from) && t.to.includes(to);
  });
}

const RANK: Record<DeliveryStatus, number> = {
  pending: 0,
  sending: 2,
  submitted: 3,
  ringing: 4,
  in_progress: 5,
  sent: 5,
  answered: 6,
  voicemail: 6,
  delivered: 6,
  busy: 6,
  no_answer: 6,
  failed: 6,
  canceled: 6,
  undelivered: 6,
};

/** Twilio's CallStatus / MessageStatus → ours. `answeredBy` turns a completed call into a voicemail. */
export function fromProvider(providerStatus: string, answeredBy?: string | null): DeliveryStatus | null {
  switch (providerStatus) {
    case "queued":
    case "initiated":
    case "accepted":
    case "scheduled":
    case "sending":
      return "submitted";
    case "ringing":
      return "ringing";
    case "in-progress":
      return "in_progress";
    case "completed":
      return answeredBy?.startsWith("machine") || answeredBy === "fax" ? "voicemail" : "answered";
    case "busy":
      return "busy";
    case "no-answer":
      return "no_answer";
    case "failed":
      return "failed";
    case "canceled":
      return "canceled";
    case "sent":
      return "sent";
    case "delivered":
      return "delivered";
    case "undelivered":
      return "undelivered";
    default:
      return null;
  }
}

export interface RetryPolicy {
  /** Calls placed in all (the first one included) for busy and no-answer. */
  maxAttempts: number;
  /** Wait before attempt 2, 3, …. */
  delaysMs: number[];
}

export type Transition =
  | { kind: "ignore" }
  | { kind: "move"; status: DeliveryStatus }
  | { kind: "retry"; after: number; reason: DeliveryStatus };

/**
 * What a status callback does to a delivery. `alertLive` is false once the alert is closed, cancelled or expired:
 * then nothing is retried.
 */
export function transition(
  current: DeliveryStatus,
  next: DeliveryStatus,
  ctx: { attempts: number; alertLive: boolean; policy: RetryPolicy },
): Transition {
  // Final statuses rank highest, so nothing moves a final delivery, and a repeated callback (ringing twice) is no move.
  if (RANK[next] <= RANK[current]) return { kind: "ignore" };
  if ((next === "busy" || next === "no_answer") && ctx.alertLive && ctx.attempts < ctx.policy.maxAttempts) {
    const delays = ctx.policy.delaysMs;
    return { kind: "retry", after: delays[Math.min(ctx.attempts - 1, delays.length - 1)], reason: next };
  }
  return { kind: "move", status: next };
}
