import type twilio from "twilio";
import { beginBy, isSendTooLate, SendTooLateError } from "./send-by.js";

/** One call to place: either a TwiML URL (with its callbacks) or inline TwiML. */
export interface CallRequest {
  to: string;
  url?: string;
  twiml?: string;
  statusCallback?: string;
  /** Answering-machine detection, reported asynchronously to this URL. */
  amdCallback?: string;
  timeoutSeconds?: number;
  /** Its slot's last moment (performance.now() ms): not sent at all once it has passed (SendTooLateError). */
  sendBy?: number;
}

export interface SmsRequest {
  to: string;
  body: string;
  statusCallback?: string;
  validitySeconds?: number;
  /** As for a call. */
  sendBy?: number;
}

/** What the carrier knows of a call or message now: the fields a status callback would have carried. */
/**
 * A carrier's dates come from its own clock, which may run seconds ahead of or behind ours (and Twilio's have a
 * one-second resolution): a record made after a request began is looked for from this long before it.
 */
export const CARRIER_CLOCK_TOLERANCE_MS = 30_000;

/** The earliest carrier date a record made for a request begun at `sentAt` can carry. */
export const carrierSince = (sentAt: Date): number => sentAt.getTime() - CARRIER_CLOCK_TOLERANCE_MS;

export interface CarrierRecord {
  sid: string;
  from: string;
  to: string;
  status: string;
  createdAt: Date | null;
  answeredBy: string | null;
  durationSeconds: number | null;
  errorCode: number | null;
  /** What the carrier charged, as it writes it ("-0.07500"), and its currency ("USD"); null until it is priced. */
  price?: string | null;
  priceUnit?: string | null;
}

export type CarrierOperation =
  "placeCall" | "sendSms" | "cancelCall" | "redirectCall" | "fetchCall" | "fetchMessage" | "list" | "deleteRecording";

/**
 * Every request the service makes to the carrier goes through this interface: alert calls and SMS, closing
 * messages, registration codes, cancels and the reads that reconcile lost answers and lost callbacks.
 */
export interface Carrier {
  readonly from: string;
  placeCall(req: CallRequest): Promise<string>;
  sendSms(req: SmsRequest): Promise<string>;
  /** False when the call can no longer be cancelled (answered or over). */
  cancelCall(sid: string): Promise<boolean>;
  /** A live call continues with this TwiML (inline) or the TwiML at this URL (POST). */
  redirectCall(sid: string, to: { twiml: string } | { url: string }): Promise<void>;
  fetchCall(sid: string): Promise<CarrierRecord>;
  fetchMessage(sid: string): Promise<CarrierRecord>;
  /** Recent calls or messages to a number, newest first (reconciling a request whose answer was lost). */
  listTo(channel: "voice" | "sms", to: string): Promise<CarrierRecord[]>;
  /** Deletes a recording (RE…); one that is already gone counts as deleted. */
  deleteRecording(sid: string): Promise<void>;
}

export interface TwilioCarrierOptions {
  client: twilio.Twilio;
  from: string;
  /** Told of every request and how it ended ("ok" or the error), for the metrics. */
  onResult?: (op: CarrierOperation, err: unknown) => void;
}

type CallInstance = Awaited<ReturnType<twilio.Twilio["calls"]["create"]>>;
type MessageInstance = Awaited<ReturnType<twilio.Twilio["messages"]["create"]>>;

const fromCall = (c: CallInstance): CarrierRecord => ({
  sid: c.sid,
  from: c.from,
  to: c.to,
  status: c.status,
  createdAt: c.dateCreated ?? null,
  answeredBy: c.answeredBy ?? null,
  durationSeconds: c.duration ? Number(c.duration) : null,
  errorCode: null,
  price: c.price ?? null,
  priceUnit: c.priceUnit ?? null,
});
const fromMessage = (m: MessageInstance): CarrierRecord => ({
  sid: m.sid,
  from: m.from,
  to: m.to,
  status: m.status,
  createdAt: m.dateCreated ?? null,
  answeredBy: null,
  durationSeconds: null,
  errorCode: m.errorCode ?? null,
  price: m.price ?? null,
  priceUnit: m.priceUnit ?? null,
});

/** The agent's SendTooLateError, as the HTTP client passed it on (axios wraps it, keeping it as `cause`). */
const lateOf = (err: unknown) => {
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof SendTooLateError ? cause : new SendTooLateError(NaN);
};

export function createTwilioCarrier({ client, from, onResult }: TwilioCarrierOptions): Carrier {
  async function run<T>(op: CarrierOperation, work: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      onResult?.(op, null);
      return result;
    } catch (err) {
      // Never sent: nothing to count against the carrier.
      if (isSendTooLate(err)) throw err instanceof SendTooLateError ? err : lateOf(err);
      onResult?.(op, err);
      throw err;
    }
  }

  return {
    from,
    placeCall: (req) =>
      run("placeCall", async () => {
        const call = await beginBy(req.sendBy, () =>
          client.calls.create({
            to: req.to,
            from,
            ...(req.url ? { url: req.url, method: "POST" } : { twiml: req.twiml }),
            ...(req.statusCallback
              ? {
                  statusCallback: req.statusCallback,
                  statusCallbackMethod: "POST",
                  statusCallbackEvent: ["initiated", "ringing", "answered", "completed"],
                }
              : {}),
            ...(req.timeoutSeconds ? { timeout: req.timeoutSeconds } : {}),
            ...(req.amdCallback
              ? {
                  machineDetection: "DetectMessageEnd",
                  asyncAmd: "true",
                  asyncAmdStatusCallback: req.amdCallback,
                  asyncAmdStatusCallbackMethod: "POST",
                }
              : {}),
          }),
        );
        return call.sid;
      }),
    sendSms: (req) =>
      run("sendSms", async () => {
        const message = await beginBy(req.sendBy, () =>
          client.messages.create({
            to: req.to,
            from,
            body: req.body,
            ...(req.statusCallback ? { statusCallback: req.statusCallback } : {}),
            ...(req.validitySeconds ? { validityPeriod: req.validitySeconds } : {}),
          }),
        );
        return message.sid;
      }),
    cancelCall: (sid) =>
      run("cancelCall", async () => {
        const call = await client.calls(sid).update({ status: "canceled" });
        return call.status === "canceled";
      }),
    redirectCall: (sid, to) =>
      run("redirectCall", async () => {
        await client.calls(sid).update("twiml" in to ? { twiml: to.twiml } : { url: to.url, method: "POST" });
      }),
    fetchCall: (sid) => run("fetchCall", async () => fromCall(await client.calls(sid).fetch())),
    fetchMessage: (sid) => run("fetchMessage", async () => fromMessage(await client.messages(sid).fetch())),
    listTo: (channel, to) =>
      run("list", async () =>
        channel === "voice"
          ? (await client.calls.list({ to, limit: 50 })).map(fromCall)
          : (await client.messages.list({ to, limit: 50 })).map(fromMessage),
      ),
    deleteRecording: (sid) =>
      run("deleteRecording", async () => {
        try {
          await client.recordings(sid).remove();
        } catch (err) {
          if ((err as { status?: number }).status !== 404) throw err;
        }
      }),
  };
}
