import Fastify from "fastify";
import pino, { type Logger } from "pino";
import { createCallRunner } from "./call-runner.ts";
import { createSimClock } from "./clock.ts";
import { SimEvents, waitFor, type EmulatorEvents, type WaitForOptions } from "./events.ts";
import { parseForm } from "./form.ts";
import {
  createInbound,
  type InboundCall,
  type InboundCallOptions,
  type InboundSms,
  type InboundSmsResult,
} from "./inbound.ts";
import type { Network } from "./network.ts";
import { createPacer, maxInWindow } from "./pacer.ts";
import { stampArrivals } from "./arrival.ts";
import { createPersonaBook } from "./personas.ts";
import { registerCallRoutes } from "./rest-calls.ts";
import { installGuard } from "./rest-guard.ts";
import { createFaults, installFaults, type CallbackLoss, type CreateFault } from "./rest-faults.ts";
import { registerMessageRoutes } from "./rest-messages.ts";
import { registerRecordingRoutes } from "./rest-recordings.ts";
import { registerPricingRoutes } from "./pricing.ts";
import { newSid, randomHex } from "./sids.ts";
import { twilioSignature, type FormParams } from "./signing.ts";
import { createSmsRunner } from "./sms-runner.ts";
import { SimStore, type CallRecord } from "./store.ts";
import type { Persona, PersonaSource, SimCall, SimMessage, TranscriptEntry, Webhooks } from "./types.ts";
import { createWebhookClient, type LocalAnswer } from "./webhook-client.ts";

export interface EmulatorOptions {
  port?: number;
  host?: string;
  accountSid?: string;
  authToken?: string;
  /** Calls started per second (real time); 0 or Infinity = uncapped. Default 1, Twilio's account default. */
  cps?: number;
  /** REST requests in flight at once before 429 / 20429. Default 100. */
  concurrency?: number;
  /** Calls waiting for a CPS slot before 22005. Default: a day's worth at the CPS (unbounded when uncapped). */
  queueSize?: number;
  /** Real-time delay added to every REST request (lets requests overlap, as against Twilio). Default 0. */
  restLatencyMs?: number;
  personas?: PersonaSource;
  defaultPersona?: Persona;
  webhooks?: Webhooks;
  /** Simulated durations (ringing, speech, pauses, timeouts) run at this factor of real time. Default 1. */
  timeScale?: number;
  logger?: Logger;
  /** Keep-alive sockets per host for webhooks. Default 256. */
  webhookSockets?: number;
  webhookTimeoutMs?: number;
  /** Public origin → origin to connect to, e.g. { "https://burgernet.example": "http://127.0.0.1:3000" }. */
  originMap?: Record<string, string>;
  /** Public origin → answers given in the emulator's process without a request (a benchmark's sink). */
  answerLocally?: Record<string, LocalAnswer>;
  /** Sender of messages sent with a MessagingServiceSid. */
  messagingServiceFrom?: string;
  /** Keep call transcripts (default true); benchmarks of huge runs may switch them off. */
  transcripts?: boolean;
}

export interface EmulatorStats {
  calls: number;
  queued: number;
  active: number;
  ended: number;
  byStatus: Record<string, number>;
  messages: number;
  restInFlight: number;
  /** The most REST requests in flight at once since the start. */
  restMaxInFlight: number;
}

export interface Emulator {
  readonly url: string;
  readonly port: number;
  readonly accountSid: string;
  readonly authToken: string;
  on<K extends keyof EmulatorEvents>(event: K, listener: (...args: EmulatorEvents[K]) => void): Emulator;
  off<K extends keyof EmulatorEvents>(event: K, listener: (...args: EmulatorEvents[K]) => void): Emulator;
  once<K extends keyof EmulatorEvents>(event: K, listener: (...args: EmulatorEvents[K]) => void): Emulator;
  setPersona(phone: string, persona: Persona): void;
  personaFor(phone: string): Persona;
  setWebhooks(webhooks: Partial<Webhooks>): void;
  calls(): readonly SimCall[];
  getCall(sid: string): SimCall | undefined;
  transcript(sid: string): readonly TranscriptEntry[];
  callsTo(phone: string): readonly SimCall[];
  messages(): readonly SimMessage[];
  getMessage(sid: string): SimMessage | undefined;
  /** SMS the network carried to this number (outbound, including TwiML replies). */
  messagesTo(phone: string): readonly SimMessage[];
  /** Start times (epoch ms, fractional) of outbound calls, in start order. */
  callStarts(): readonly number[];
  /** Most outbound calls started within any window of `windowMs` (default 1000). */
  maxStartsInWindow(windowMs?: number): number;
  stats(): EmulatorStats;
  /** Resolves with the predicate's first truthy value; re-checked whenever the network changes. */
  waitFor<T>(predicate: () => T, opts?: WaitForOptions): Promise<Exclude<T, false | null | undefined | 0 | "">>;
  /** Resolves when the call has ended. */
  callEnded(sid: string, opts?: WaitForOptions): Promise<SimCall>;
  sendSms(sms: InboundSms): Promise<InboundSmsResult>;
  placeInboundCall(opts: InboundCallOptions): InboundCall;
  /** The X-Twilio-Signature this network puts on a request to `url` with these POST parameters. */
  sign(url: string, params?: FormParams): string;
  /**
   * Creates of calls and/or messages fail as Twilio fails them (error JSON with this status and code, or a reset
   * connection), for `forMs` or `count` requests; several faults follow one another. No argument: none.
   */
  failCreates(...faults: CreateFault[]): void;
  /** Status callbacks (all, a share, or those for some numbers) are lost on their way; no argument: all. */
  loseCallbacks(loss?: CallbackLoss): void;
  /** Ends every injected fault. */
  clearFaults(): void;
  /** The carrier's clock runs `ms` ahead of ours (negative: behind) in every date its REST API reports. */
  setClockSkew(ms: number): void;
  /** Forgets all calls, messages and persona overrides (not the CPS queue). */
  reset(): void;
  close(): Promise<void>;
}

const FINAL = new Set(["completed", "busy", "failed", "no-answer", "canceled"]);

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const accountSid = opts.accountSid ?? newSid("AC");
  const authToken = opts.authToken ?? randomHex(16);
  const cps = opts.cps ?? 1;
  const uncapped = !(cps > 0 && Number.isFinite(cps));
  const log = opts.logger ?? pino({ level: "silent" });
  const events = new SimEvents();
  const store = new SimStore();
  const faults = createFaults();
  const webhooks = createWebhookClient({
    authToken,
    sockets: opts.webhookSockets ?? 256,
    timeoutMs: opts.webhookTimeoutMs ?? 15_000,
    originMap: opts.originMap,
    answerLocally: opts.answerLocally,
  });
  let baseUrl = "";
  const net: Network = {
    accountSid,
    authToken,
    baseUrl: () => baseUrl,
    clock: createSimClock(opts.timeScale ?? 1),
    webhooks,
    personas: createPersonaBook(opts.personas, opts.defaultPersona),
    store,
    events,
    log,
    keepTranscripts: opts.transcripts ?? true,
    faults,
    inbound: { ...opts.webhooks },
    clockSkewMs: 0,
  };

  const runner = createCallRunner(net);
  const sms = createSmsRunner(net);
  const pacer = createPacer<CallRecord>({
    cps,
    queueSize: opts.queueSize ?? (uncapped ? Infinity : Math.ceil(cps * 86_400)),
    isLive: (call) => call.status === "queued",
    start: (call, startedAt) => runner.startOutbound(call, startedAt),
  });
  const inbound = createInbound(net, runner, sms);

  const app = Fastify({ logger: false, routerOptions: { querystringParser: (q) => parseForm(q) } });
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => {
    done(null, parseForm(body as string));
  });
  stampArrivals(app);
  const guard = installGuard(app, {
    accountSid,
    authToken,
    concurrency: opts.concurrency ?? 100,
    latencyMs: opts.restLatencyMs ?? 0,
  });
  installFaults(app, faults, net.clock);
  registerCallRoutes(app, net, runner, pacer);
  registerMessageRoutes(app, net, sms, { messagingServiceFrom: opts.messagingServiceFrom ?? "+3197010000000" });
  registerRecordingRoutes(app, net);
  registerPricingRoutes(app, () => baseUrl);

  await app.listen({ port: opts.port ?? 0, host: opts.host ?? "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : (opts.port ?? 0);
  const host = opts.host && opts.host !== "0.0.0.0" && opts.host !== "::" ? opts.host : "127.0.0.1";
  baseUrl = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  log.info({ url: baseUrl, cps: uncapped ? "uncapped" : cps }, "twilio emulator listening");

  const emulator: Emulator = {
    url: baseUrl,
    port,
    accountSid,
    authToken,
    on(event, listener) {
      events.on(event, listener as never);
      return emulator;
    },
    off(event, listener) {
      events.off(event, listener as never);
      return emulator;
    },
    once(event, listener) {
      events.once(event, listener as never);
      return emulator;
    },
    setPersona: (phone, persona) => net.personas.set(phone, persona),
    personaFor: (phone) => net.personas.get(phone),
    setWebhooks(w) {
      net.inbound = { ...net.inbound, ...w };
    },
    calls: () => store.callOrder,
    getCall: (sid) => store.calls.get(sid),
    transcript: (sid) => store.calls.get(sid)?.transcript ?? [],
    callsTo: (phone) => store.callsTo(phone),
    messages: () => store.messageOrder,
    getMessage: (sid) => store.messages.get(sid),
    messagesTo: (phone) => store.messagesTo(phone).filter((m) => m.direction !== "inbound"),
    callStarts: () => store.starts,
    maxStartsInWindow: (windowMs = 1000) => maxInWindow(store.starts, windowMs),
    stats() {
      const byStatus: Record<string, number> = {};
      let ended = 0;
      for (const call of store.callOrder) {
        byStatus[call.status] = (byStatus[call.status] ?? 0) + 1;
        if (FINAL.has(call.status)) ended++;
      }
      return {
        calls: store.callOrder.length,
        queued: pacer.size,
        active: runner.activeCount,
        ended,
        byStatus,
        messages: store.messageOrder.length,
        restInFlight: guard.inFlight,
        restMaxInFlight: guard.maxInFlight,
      };
    },
    waitFor: (predicate, waitOpts) => waitFor(events, predicate, waitOpts),
    callEnded(sid, waitOpts) {
      return waitFor(
        events,
        () => {
          const call = store.calls.get(sid);
          return call?.settled ? call : undefined;
        },
        waitOpts,
      );
    },
    sendSms: (message) => inbound.sendSms(message),
    placeInboundCall: (callOpts) => inbound.placeInboundCall(callOpts),
    sign: (url, params) => twilioSignature(authToken, url, params),
    failCreates: (...list) => faults.failCreates(...list),
    loseCallbacks: (loss) => faults.loseCallbacks(loss),
    clearFaults: () => faults.clear(),
    setClockSkew: (ms) => (net.clockSkewMs = ms),
    reset() {
      store.clear();
      net.personas.reset();
    },
    async close() {
      pacer.close();
      runner.close();
      sms.close();
      await app.close();
      webhooks.close();
      events.removeAllListeners();
    },
  };
  return emulator;
}
