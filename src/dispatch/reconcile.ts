import type { FastifyBaseLogger } from "fastify";
import type { Db } from "../db/db.js";
import type { Carrier, CarrierRecord } from "../twilio/carrier.js";
import { applyCallback } from "./callbacks.js";
import { reconcileLeases } from "../deliveries/reconcile.js";
import { sendTransitions } from "../deliveries/send.js";
import type { RetryPolicy } from "../deliveries/machine.js";
import { findLostSubmission } from "./submit.js";

export interface ReconcileDeps {
  db: Db;
  carrier: Carrier;
  log: FastifyBaseLogger;
  owner: string;
  leaseMs: number;
  retry: RetryPolicy;
  /** How long a delivery at the carrier may go without a status change before the carrier is asked. */
  callbackTimeoutMs: number;
  /** The longest a request to the carrier can take (the client's timeout). */
  requestTimeoutMs: number;
  /** Deliveries this instance is still sending: never reconciled under its feet. */
  busy: () => number[];
}

/**
 * Requests whose answer was lost (timeout, reset, crash between the request and storing its SID): the carrier's
 * list of calls or messages to that number says whether it went out; never sent again blindly.
 */
export async function reconcileLostAnswers(deps: ReconcileDeps): Promise<void> {
  const { db, carrier, log, owner, leaseMs } = deps;
  const lost = (await reconcileLeases.claimUnknown(db, owner, 20, leaseMs, deps.requestTimeoutMs, deps.busy())).rows;
  for (const d of lost) {
    const sid = await findLostSubmission(
      carrier,
      d,
      async (sids) => new Set((await reconcileLeases.knownSids(db, sids)).rows.map((r) => r.provider_sid)),
    );
    if (sid) {
      await sendTransitions.submitted(db, d.id, sid);
      log.warn(
        { alertId: d.alert_id, deliveryId: d.id, callSid: sid },
        "reconciled: the carrier had it, not sending again",
      );
    } else {
      await sendTransitions.notSent(db, d.id);
      log.warn({ alertId: d.alert_id, deliveryId: d.id }, "reconciled: never reached the carrier");
    }
  }
}

/** A fetched call or message as the parameters of the status callback that was lost. */
export function asCallback(channel: "voice" | "sms", r: CarrierRecord): Record<string, string> {
  const p: Record<string, string> =
    channel === "voice" ? { CallSid: r.sid, CallStatus: r.status } : { MessageSid: r.sid, MessageStatus: r.status };
  if (r.answeredBy) p.AnsweredBy = r.answeredBy;
  if (r.durationSeconds !== null) p.CallDuration = String(r.durationSeconds);
  if (r.errorCode !== null) p.ErrorCode = String(r.errorCode);
  return p;
}

/**
 * Deliveries at the carrier whose final callback never came: the carrier's record of the call or message is
 * applied as that callback would have been, so retries and closing messages still happen.
 */
export async function settleLostCallbacks(deps: ReconcileDeps): Promise<number> {
  const { db, carrier, log, owner, retry, callbackTimeoutMs } = deps;
  const overdue = (await reconcileLeases.claimOverdue(db, owner, 50, callbackTimeoutMs)).rows;
  let settled = 0;
  for (const d of overdue) {
    try {
      const record =
        d.channel === "voice" ? await carrier.fetchCall(d.provider_sid) : await carrier.fetchMessage(d.provider_sid);
      const kind = d.channel === "voice" ? "call-fetched" : "sms-fetched";
      await db.withTransaction((tx) => applyCallback(tx, kind, d.id, d.attempts, asCallback(d.channel, record), retry));
      settled++;
      log.info({ deliveryId: d.id, callSid: d.provider_sid, status: record.status }, "no callback: asked the carrier");
    } catch (err) {
      // Asked again after the lease the claim set.
      log.warn({ deliveryId: d.id, callSid: d.provider_sid, err }, "could not fetch a delivery from the carrier");
    }
  }
  return settled;
}
