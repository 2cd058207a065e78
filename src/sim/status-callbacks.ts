import type { Network } from "./network.ts";
import { API_VERSION } from "./network.ts";
import type { CallRecord } from "./store.ts";
import { rfc2822 } from "./time-format.ts";
import type { CallStatus } from "./types.ts";
import type { Params } from "./webhook-client.ts";

export type ProgressEvent = "initiated" | "ringing" | "answered" | "completed";

const SIP_CODE: Partial<Record<CallStatus, string>> = {
  completed: "200",
  busy: "486",
  "no-answer": "487",
  canceled: "487",
  failed: "500",
};

/** The parameters Twilio sends with every voice webhook of a call. */
export function callParams(call: CallRecord, status: string = call.status): Params {
  const params: Params = {
    AccountSid: call.accountSid,
    ApiVersion: API_VERSION,
    CallSid: call.sid,
    CallStatus: status,
    Called: call.to,
    Caller: call.from,
    Direction: call.direction,
    From: call.from,
    To: call.to,
  };
  if (call.answeredBy) params.AnsweredBy = call.answeredBy;
  if (call.parentCallSid) params.ParentCallSid = call.parentCallSid;
  return params;
}

const chains = new WeakMap<CallRecord, Promise<void>>();

/**
 * Sends a call-progress status callback if the call asked for this event. Callbacks of one call go out
 * one after another, in order; the returned promise settles when this one has been delivered (or failed).
 */
export function sendProgress(net: Network, call: CallRecord, event: ProgressEvent): Promise<void> {
  const url = call.request.statusCallback;
  const events = call.request.statusCallbackEvents;
  const wanted = events.length === 0 ? event === "completed" : events.includes(event);
  if (!url || !wanted) return chains.get(call) ?? Promise.resolve();

  const status =
    event === "initiated"
      ? "initiated"
      : event === "ringing"
        ? "ringing"
        : event === "answered"
          ? "in-progress"
          : call.status;
  const params = callParams(call, status);
  params.SequenceNumber = String(call.callbackSeq++);
  params.Timestamp = rfc2822(Date.now());
  params.CallbackSource = "call-progress-events";
  if (event === "completed") {
    const seconds = call.duration ?? 0;
    params.CallDuration = String(seconds);
    params.Duration = String(Math.ceil(seconds / 60));
    const sip = SIP_CODE[call.status];
    if (sip) params.SipResponseCode = sip;
  }
  const method = call.request.statusCallbackMethod;
  if (net.faults?.callbackLost("voice", call.sid, call.to, status)) return chains.get(call) ?? Promise.resolve();
  const previous = chains.get(call) ?? Promise.resolve();
  const next = previous.then(async () => {
    try {
      const res = await net.webhooks.send(url, method, params);
      if (res.status >= 400)
        net.events.emit("webhook:failed", { kind: "status-callback", callSid: call.sid, url, status: res.status });
    } catch (err) {
      net.events.emit("webhook:failed", { kind: "status-callback", callSid: call.sid, url, error: String(err) });
      net.log.warn({ callSid: call.sid, event, err: String(err) }, "status callback failed");
    }
  });
  chains.set(call, next);
  return next;
}

/** Forgets the callback chain once the final callback is through. */
export function releaseProgress(call: CallRecord): void {
  chains.delete(call);
}
