import { setMaxListeners } from "node:events";
import type { Network } from "./network.ts";
import { API_VERSION } from "./network.ts";
import type { MessageRecord } from "./store.ts";
import type { MessageStatus } from "./types.ts";
import type { Params } from "./webhook-client.ts";

export interface SmsRunner {
  /** Carries an accepted outbound SMS through queued → sent → delivered (or its persona's failure). */
  submit(message: MessageRecord): void;
  close(): void;
}

const SEND_SECONDS = 1;
const DELIVER_SECONDS = 2;

export function createSmsRunner(net: Network): SmsRunner {
  const lifetime = new AbortController();
  // Every message in flight waits on this one signal (each wait removes its listener when it ends): thousands of
  // listeners are the normal load here, not a leak, so no MaxListenersExceededWarning in front of the demo.
  setMaxListeners(0, lifetime.signal);

  async function post(message: MessageRecord): Promise<void> {
    const url = message.statusCallback;
    if (!url || net.faults?.callbackLost("sms", message.sid, message.to, message.status)) return;
    const params: Params = {
      AccountSid: message.accountSid,
      ApiVersion: API_VERSION,
      From: message.from,
      MessageSid: message.sid,
      MessageStatus: message.status,
      SmsSid: message.sid,
      SmsStatus: message.status,
      To: message.to,
    };
    if (message.messagingServiceSid) params.MessagingServiceSid = message.messagingServiceSid;
    if (message.errorCode !== undefined) params.ErrorCode = String(message.errorCode);
    try {
      const res = await net.webhooks.send(url, "POST", params);
      if (res.status >= 400)
        net.events.emit("webhook:failed", { kind: "sms-status", messageSid: message.sid, url, status: res.status });
    } catch (err) {
      net.events.emit("webhook:failed", { kind: "sms-status", messageSid: message.sid, url, error: String(err) });
    }
  }

  async function move(message: MessageRecord, status: MessageStatus, errorCode?: number): Promise<void> {
    message.status = status;
    message.updatedAt = Date.now();
    if (status === "sent") message.sentAt = message.updatedAt;
    if (errorCode !== undefined) message.errorCode = errorCode;
    net.events.emit("sms:status", message);
    net.events.changed();
    await post(message);
  }

  async function run(message: MessageRecord): Promise<void> {
    const persona = net.personas.get(message.to);
    const outcome = persona.sms ?? "delivered";
    await post(message);
    await net.clock.wait(SEND_SECONDS, lifetime.signal);
    if (outcome === "failed") return move(message, "failed", persona.smsErrorCode ?? 30008);
    await move(message, "sent");
    await net.clock.wait(DELIVER_SECONDS, lifetime.signal);
    if (outcome === "undelivered") return move(message, "undelivered", persona.smsErrorCode ?? 30003);
    await move(message, "delivered");
  }

  return {
    submit(message) {
      net.events.emit("sms", message);
      net.events.changed();
      run(message).catch(() => undefined);
    },
    close() {
      lifetime.abort();
    },
  };
}
