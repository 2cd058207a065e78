import type { DeliveryStatus } from "./statuses.js";

/**
 * What a status callback does to a delivery, pure. Status callbacks arrive late, twice, or out of order: a callback
 * only ever moves a delivery forward, and a final state is final unless the retry policy re-queues it.
 */
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
