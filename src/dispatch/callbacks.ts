import type { Queryable } from "../db/db.js";
import { callbackQueries as q } from "./queries.js";
import { REACHED, fromProvider, transition, type DeliveryStatus, type RetryPolicy } from "./states.js";

export type CallbackKind = "call-status" | "sms-status" | "call-fetched" | "sms-fetched";

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
  const sid = p.CallSid ?? p.MessageSid ?? p.SmsSid ?? null;
  const providerStatus = p.CallStatus ?? p.MessageStatus ?? p.SmsStatus ?? null;
  const d = (await q.lock(tx, deliveryId)).rows[0];
  // Recorded after the row lock: inserting first would take a key-share lock through the foreign key, and two
  // callbacks of one call (Twilio sends them back to back) would then deadlock upgrading it.
  await q.record(tx, d ? deliveryId : null, sid, kind, providerStatus, p);
  // A callback of an earlier attempt (a retried busy call) tells nothing about the current one.
  if (!d || d.attempts !== attempt || !providerStatus) return;
  const answeredBy = p.AnsweredBy ?? d.answered_by;
  const next = fromProvider(providerStatus, answeredBy);
  if (!next) return;
  const t = transition(d.status, next, { attempts: d.attempts, alertLive: d.live, policy });
  if (t.kind === "move") {
    const duration = p.CallDuration ? Number(p.CallDuration) : null;
    const move = { id: d.id, status: t.status, sid, answeredBy: p.AnsweredBy ?? null, duration };
    await q.progress(tx, move, p.ErrorCode ? Number(p.ErrorCode) : null);
    if ((REACHED as readonly DeliveryStatus[]).includes(t.status) && !d.live) await q.closingIfClosed(tx, d.id);
  } else if (t.kind === "retry") {
    await q.retry(tx, d.id, t.after, t.reason);
  }
}
