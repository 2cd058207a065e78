import type { CallRunner } from "./call-runner.ts";
import type { Network } from "./network.ts";
import { API_VERSION } from "./network.ts";
import { smsSegments } from "./segments.ts";
import { newSid } from "./sids.ts";
import type { SmsRunner } from "./sms-runner.ts";
import type { MessageRecord } from "./store.ts";
import { elementsOf, parseXml, textOf } from "./twiml-parser.ts";
import type { Persona, SimCall, SimMessage } from "./types.ts";

export interface InboundSms {
  from: string;
  to: string;
  body: string;
}

export interface InboundSmsResult {
  message: SimMessage;
  /** HTTP status of the SMS webhook. */
  status: number;
  /** SMS sent back to the citizen from the webhook's `<Message>` TwiML. */
  replies: SimMessage[];
}

export interface InboundCallOptions {
  from: string;
  to: string;
  /** The caller's behaviour; defaults to the persona of `from`. */
  persona?: Persona;
}

export interface InboundCall {
  sid: string;
  call: SimCall;
  /** Settles when the call has ended. */
  ended: Promise<SimCall>;
}

export function createInbound(net: Network, calls: CallRunner, sms: SmsRunner) {
  async function sendSms({ from, to, body }: InboundSms): Promise<InboundSmsResult> {
    const url = net.inbound.smsUrl;
    if (!url) throw new Error("emulator: no webhooks.smsUrl configured for inbound SMS");
    const now = Date.now();
    const message = net.store.addMessage({
      sid: newSid("SM"),
      accountSid: net.accountSid,
      direction: "inbound",
      to,
      from,
      body,
      numSegments: smsSegments(body),
      status: "received",
      createdAt: now,
      updatedAt: now,
      sentAt: now,
    });
    net.events.emit("sms:inbound", message);
    net.events.changed();
    const params = {
      AccountSid: net.accountSid,
      ApiVersion: API_VERSION,
      Body: body,
      From: from,
      MessageSid: message.sid,
      NumMedia: "0",
      NumSegments: String(message.numSegments),
      SmsMessageSid: message.sid,
      SmsSid: message.sid,
      SmsStatus: "received",
      To: to,
    };
    let res;
    try {
      res = await net.webhooks.send(url, net.inbound.smsMethod ?? "POST", params);
    } catch (err) {
      net.events.emit("webhook:failed", { kind: "inbound-sms", messageSid: message.sid, url, error: String(err) });
      message.errorCode = 11205;
      return { message, status: 0, replies: [] };
    }
    if (res.status < 200 || res.status >= 300) {
      net.events.emit("webhook:failed", { kind: "inbound-sms", messageSid: message.sid, url, status: res.status });
      message.errorCode = 11200;
      return { message, status: res.status, replies: [] };
    }
    return { message, status: res.status, replies: replyMessages(message, res.body) };
  }

  /** `<Response><Message>…</Message></Response>` in the webhook's answer becomes SMS to the citizen. */
  function replyMessages(inbound: MessageRecord, body: string): SimMessage[] {
    if (body.trim() === "") return [];
    let doc;
    try {
      doc = parseXml(body);
    } catch {
      inbound.errorCode = 12100;
      return [];
    }
    if (doc.name !== "Response") return [];
    const replies: SimMessage[] = [];
    for (const el of elementsOf(doc)) {
      if (el.name !== "Message") continue;
      const bodyEl = elementsOf(el).find((c) => c.name === "Body");
      const text = (bodyEl ? textOf(bodyEl) : textOf(el)).trim();
      const now = Date.now();
      const reply = net.store.addMessage({
        sid: newSid("SM"),
        accountSid: net.accountSid,
        direction: "outbound-reply",
        to: el.attrs.to ?? inbound.from,
        from: el.attrs.from ?? inbound.to,
        body: text,
        ...(el.attrs.statusCallback ? { statusCallback: el.attrs.statusCallback } : {}),
        numSegments: smsSegments(text),
        status: "queued",
        createdAt: now,
        updatedAt: now,
      });
      sms.submit(reply);
      replies.push(reply);
    }
    return replies;
  }

  function placeInboundCall({ from, to, persona }: InboundCallOptions): InboundCall {
    const url = net.inbound.voiceUrl;
    if (!url) throw new Error("emulator: no webhooks.voiceUrl configured for inbound calls");
    const now = Date.now();
    const statusCallback = net.inbound.voiceStatusCallback;
    const call = net.store.addCall({
      sid: newSid("CA"),
      accountSid: net.accountSid,
      direction: "inbound",
      to,
      from,
      request: {
        url,
        method: net.inbound.voiceMethod ?? "POST",
        ...(statusCallback ? { statusCallback } : {}),
        statusCallbackMethod: "POST",
        statusCallbackEvents: [],
        timeout: 60,
        timeLimit: 14_400,
        asyncAmd: false,
        asyncAmdStatusCallbackMethod: "POST",
      },
      status: "ringing",
      createdAt: now,
    });
    net.events.emit("call:created", call);
    net.events.changed();
    const ended = calls.startInbound(call, persona ?? net.personas.get(from), { url, method: call.request.method });
    return { sid: call.sid, call, ended };
  }

  return { sendSms, placeInboundCall };
}
