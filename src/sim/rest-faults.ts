import type { FastifyInstance, FastifyRequest } from "fastify";
import type { SimClock } from "./clock.ts";
import { sendError } from "./rest-errors.ts";

/**
 * A failure the REST API answers creates with, for a while: Twilio's error JSON with this status and code, or a
 * connection reset before the request is handled (nothing created) or after (created, answer lost).
 */
export interface CreateFault {
  status?: number;
  code?: number;
  message?: string;
  reset?: "before" | "after";
  /**
   * The answer comes this many carrier seconds late, on the emulator's clock (timeScale): uniform in [min, max].
   * The call or message is created at once, as on a slow Twilio edge whose answer is held up on the way back.
   */
  slowSeconds?: readonly [number, number];
  /**
   * No answer at all; the connection stays open until the client gives up: "before" nothing is created, "after"
   * the call or message is created and its answer never sent.
   */
  hang?: "before" | "after";
  /** How long it lasts (real ms) from when it begins. */
  forMs?: number;
  /** Or how many creates it fails. Neither: until cleared. */
  count?: number;
  /** Calls, messages or both (default). */
  resource?: "calls" | "messages";
}

export interface CallbackLoss {
  /** Share of status callbacks lost, decided per callback by a hash of its SID and status (default 1: all). */
  fraction?: number;
  /** Only callbacks of calls/messages to these numbers. */
  numbers?: readonly string[];
  channel?: "voice" | "sms";
  forMs?: number;
}

interface Active<T> {
  spec: T;
  endsAt?: number;
  left?: number;
}

const sleepMs = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

export function createFaults() {
  let creates: Active<CreateFault>[] = [];
  let loss: Active<CallbackLoss> | null = null;

  function begin(a: Active<CreateFault>, now: number) {
    if (a.spec.forMs !== undefined) a.endsAt = now + a.spec.forMs;
    if (a.spec.count !== undefined) a.left = a.spec.count;
  }

  function currentCreateFault(resource: "calls" | "messages"): CreateFault | undefined {
    const now = Date.now();
    while (creates.length) {
      const head = creates[0];
      if ((head.endsAt !== undefined && now >= head.endsAt) || head.left === 0) {
        creates.shift();
        if (creates[0]) begin(creates[0], Math.max(now, head.endsAt ?? now));
        continue;
      }
      if (head.spec.resource && head.spec.resource !== resource) return undefined;
      if (head.left !== undefined) head.left--;
      return head.spec;
    }
    return undefined;
  }

  return {
    /** The faults apply one after another: each begins when the one before it ends. */
    failCreates(...faults: CreateFault[]) {
      creates = faults.map((spec) => ({ spec }));
      if (creates[0]) begin(creates[0], Date.now());
    },
    loseCallbacks(spec: CallbackLoss = {}) {
      loss = { spec, ...(spec.forMs !== undefined ? { endsAt: Date.now() + spec.forMs } : {}) };
    },
    clear() {
      creates = [];
      loss = null;
    },
    currentCreateFault,
    /** Is this status callback lost on its way? */
    callbackLost(channel: "voice" | "sms", sid: string, to: string, status: string): boolean {
      if (!loss || (loss.endsAt !== undefined && Date.now() >= loss.endsAt)) return false;
      const { fraction = 1, numbers, channel: only } = loss.spec;
      if (only && only !== channel) return false;
      if (numbers && !numbers.includes(to)) return false;
      return fraction >= 1 || hash(`${sid}/${status}`) < fraction;
    },
  };
}

export type Faults = ReturnType<typeof createFaults>;

/** A number in [0, 1) from a string (FNV-1a): the same callbacks are lost on every run. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h / 2 ** 32;
}

const CREATE = /\/Accounts\/[^/]+\/(Calls|Messages)\.json$/;
const resetAfter = new WeakSet<FastifyRequest>();
const heldAnswers = new WeakMap<FastifyRequest, "slow" | "hang">();
const slowBy = new WeakMap<FastifyRequest, number>();

/** Until the client closes the connection (it gave up waiting). */
const clientGone = (req: FastifyRequest) =>
  new Promise<void>((ok) => (req.raw.socket.destroyed ? ok() : req.raw.socket.once("close", () => ok())));

/** Applies the create faults to POST …/Calls.json and …/Messages.json, after authentication. */
export function installFaults(app: FastifyInstance, faults: Faults, clock?: SimClock): void {
  app.addHook("preHandler", async (req, reply) => {
    if (req.method !== "POST") return;
    const m = CREATE.exec(req.url.split("?")[0]);
    if (!m) return;
    const fault = faults.currentCreateFault(m[1] === "Calls" ? "calls" : "messages");
    if (!fault) return;
    if (fault.hang === "before") {
      reply.hijack();
      await clientGone(req);
      return reply;
    }
    if (fault.hang === "after") {
      heldAnswers.set(req, "hang");
      return;
    }
    if (fault.slowSeconds) {
      const [min, max] = fault.slowSeconds;
      heldAnswers.set(req, "slow");
      slowBy.set(req, min + Math.random() * (max - min));
      return;
    }
    if (fault.reset === "before") {
      reply.hijack();
      req.raw.socket.destroy();
      return reply;
    }
    if (fault.reset === "after") {
      resetAfter.add(req);
      return;
    }
    const status = fault.status ?? 500;
    const code = fault.code ?? (status >= 500 ? 20500 : 20003);
    return sendError(reply, status, code, fault.message ?? (status >= 500 ? "Internal Server Error" : "Authenticate"));
  });
  app.addHook("onSend", async (req, _reply, payload) => {
    if (resetAfter.has(req)) req.raw.socket.destroy();
    const held = heldAnswers.get(req);
    if (held === "hang") await clientGone(req);
    if (held === "slow") {
      const seconds = slowBy.get(req) ?? 0;
      // A client that gives up first closes the connection: the answer then goes nowhere, as on the real network.
      await Promise.race([clock ? clock.wait(seconds) : sleepMs(seconds * 1000), clientGone(req)]);
    }
    return payload;
  });
}
