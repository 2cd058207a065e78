import { EventEmitter } from "node:events";
import type { SimCall, SimMessage } from "./types.ts";

export interface WebhookFailure {
  kind: "twiml" | "status-callback" | "amd-callback" | "action" | "sms-status" | "inbound-sms" | "inbound-call";
  callSid?: string;
  messageSid?: string;
  url: string;
  status?: number;
  error?: string;
}

export interface EmulatorEvents {
  "call:created": [SimCall];
  "call:started": [SimCall];
  "call:answered": [SimCall];
  "call:ended": [SimCall];
  /** Every SMS the network carries towards a citizen (API-created or a TwiML reply). */
  sms: [SimMessage];
  "sms:status": [SimMessage];
  "sms:inbound": [SimMessage];
  "webhook:failed": [WebhookFailure];
  /** Any state change; `waitFor` re-checks its predicate on it. */
  change: [];
}

export class SimEvents extends EventEmitter<EmulatorEvents> {
  constructor() {
    super();
    // Tests and benches attach many waiters at once; the default warning at 10 is noise here.
    this.setMaxListeners(0);
  }

  changed(): void {
    if (this.listenerCount("change") > 0) this.emit("change");
  }
}

export interface WaitForOptions {
  timeoutMs?: number;
}

/** Resolves with the predicate's first truthy value, re-checked after state changes (coalesced). */
export function waitFor<T>(
  events: SimEvents,
  predicate: () => T,
  { timeoutMs = 10_000 }: WaitForOptions = {},
): Promise<Exclude<T, false | null | undefined | 0 | "">> {
  type R = Exclude<T, false | null | undefined | 0 | "">;
  const first = predicate();
  // A promise is always truthy: an async predicate would "succeed" at once without ever being looked at.
  if (typeof (first as { then?: unknown } | null)?.then === "function")
    return Promise.reject(new TypeError("waitFor needs a synchronous predicate (it re-checks on emulator events)"));
  if (first) return Promise.resolve(first as R);
  return new Promise<R>((resolve, reject) => {
    let scheduled = false;
    const check = () => {
      scheduled = false;
      let value: T;
      try {
        value = predicate();
      } catch (err) {
        cleanup();
        reject(err);
        return;
      }
      if (value) {
        cleanup();
        resolve(value as R);
      }
    };
    const onChange = () => {
      if (!scheduled) {
        scheduled = true;
        setImmediate(check);
      }
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`waitFor: condition not met within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      events.off("change", onChange);
    };
    events.on("change", onChange);
  });
}
