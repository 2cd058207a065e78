import type { Queryable } from "../db/db.js";
import { callbackTransitions as q, type DeliveryState, type Move, type Retry } from "../deliveries/callbacks.js";
import { closingMessages } from "../deliveries/closing.js";
import { updateMessages } from "../deliveries/updates.js";
import { fromProvider, transition, type RetryPolicy } from "../deliveries/machine.js";
import { REACHED, isIn } from "../deliveries/statuses.js";

export type CallbackKind = "call-status" | "sms-status" | "call-fetched" | "sms-fetched";

export interface CallbackChange {
  move?: Move;
  retry?: Retry;
  /** Reached after its alert ended: the closing message too. */
  closing?: boolean;
  /** Reached while live, after a follow-up to those reached: that update too, unless it already heard it. */
  followUp?: boolean;
}

export const sidOf = (p: Record<string, string>) => p.CallSid ?? p.MessageSid ?? p.SmsSid ?? null;
export const providerStatusOf = (p: Record<string, string>) => p.CallStatus ?? p.MessageStatus ?? p.SmsStatus ?? null;

/** What one callback does to a delivery in state `d`, pure (the state machine, deliveries/machine.ts, decides). */
export function changeOf(
  d: DeliveryState | undefined,
  attempt: number,
  p: Record<string, string>,
  policy: RetryPolicy,
): CallbackChange {
  const providerStatus = providerStatusOf(p);
  // A callback of an earlier attempt (a retried busy call) tells nothing about the current one.
  if (!d || d.attempts !== attempt || !providerStatus) return {};
  const next = fromProvider(providerStatus, p.AnsweredBy ?? d.answered_by);
  if (!next) return {};
  const t = transition(d.status, next, { attempts: d.attempts, alertLive: d.live, policy });
  if (t.kind === "move") {
    const duration = p.CallDuration ? Number(p.CallDuration) : null;
    const errorCode = p.ErrorCode ? Number(p.ErrorCode) : null;
    return {
      move: { id: d.id, status: t.status, sid: sidOf(p), answeredBy: p.AnsweredBy ?? null, duration, errorCode },
      closing: isIn(REACHED, t.status) && !d.live,
      followUp: isIn(REACHED, t.status) && d.live && d.followed_up === true,
    };
  }
  if (t.kind === "retry") return { retry: { id: d.id, after: t.after, reason: t.reason } };
  return {};
}

/**
 * Applies what the carrier says of one attempt of a delivery (a status callback, or its answer to a fetch when the
 * callback was lost) through the state machine. The parameters are recorded raw first.
 */
export async function applyCallback(
  tx: Queryable,
  kind: CallbackKind,
  deliveryId: number,
  attempt: number,
  p: Record<string, string>,
  policy: RetryPolicy,
): Promise<void> {
  const d = (await q.lock(tx, deliveryId)).rows[0];
  // Recorded after the row lock: inserting first would take a key-share lock through the foreign key, and two
  // callbacks of one call (Twilio sends them back to back) would then deadlock upgrading it.
  const recorded = { deliveryId: d ? deliveryId : null, sid: sidOf(p), kind, status: providerStatusOf(p), params: p };
  await q.record(tx, recorded);
  const change = changeOf(d, attempt, p, policy);
  if (change.move) await q.progress(tx, change.move);
  if (change.closing) await closingMessages.ifClosed(tx, deliveryId);
  if (change.followUp) await updateMessages.ifUpdatedSince(tx, deliveryId);
  if (change.retry) await q.retry(tx, change.retry);
}
