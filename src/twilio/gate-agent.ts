import http, { type Agent, type ClientRequest, type RequestOptions } from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { SEND_BY_HEADER, SendTooLateError } from "./send-by.js";

// A request begun for a slot (send-by.ts) must reach the carrier by its last moment. On a kept-alive socket it is
// written the tick it is handed one; on a new connection only once that is set up, which on a busy event loop can be
// tens of milliseconds later and crowd the carrier's second. So such a request never opens a connection: with no
// free socket it waits for one, a warm-up (GET /) opens it, and it is refused if none is free by its last moment.
// When warming up fails or hangs, the way to the carrier is down or slow: requests then go their own way as before,
// so that what goes wrong reaches their timeouts and the breaker, and a warm-up is tried again.

export interface GateOptions {
  /** A warm-up unanswered for this long means the way is slow: requests stop waiting for warm-ups. */
  warmWaitMs?: number;
  /** A warm-up unanswered for this long has failed. */
  warmTimeoutMs?: number;
}

const WARM_WAIT_MS = 1_000;
const WARM_TIMEOUT_MS = 10_000;
/** Connections being opened at once for waiting requests, per origin. */
const MAX_WARMING = 8;

interface Waiting {
  req: ClientRequest;
  options: RequestOptions;
  sendBy: number;
  timer: NodeJS.Timeout;
}

interface Origin {
  waiting: Waiting[];
  warming: Set<{ since: number }>;
  /** The last warm-up got no kept-alive answer: requests open their own connections until one does. */
  failed: boolean;
}

type AgentInternals = {
  addRequest: (req: ClientRequest, options: RequestOptions) => void;
  getName: (options: RequestOptions) => string;
  readonly freeSockets: NodeJS.ReadOnlyDict<Socket[]>;
};

/**
 * Makes `agent` send a request begun by `beginBy` only on a connection that is already open, by its last moment, or
 * refuse it with SendTooLateError. Other requests pass as ever.
 */
export function gateAgent<A extends Agent>(agent: A, opts: GateOptions = {}): A {
  const warmWaitMs = opts.warmWaitMs ?? WARM_WAIT_MS;
  const warmTimeoutMs = opts.warmTimeoutMs ?? WARM_TIMEOUT_MS;
  const inner = agent as unknown as AgentInternals;
  const addRequest = inner.addRequest.bind(agent);
  const origins = new Map<string, Origin>();

  const originOf = (name: string) => {
    let origin = origins.get(name);
    if (!origin) origins.set(name, (origin = { waiting: [], warming: new Set(), failed: false }));
    return origin;
  };
  const hasFree = (name: string) => (inner.freeSockets[name] ?? []).some((s) => !s.destroyed);
  const slowWarming = (origin: Origin) => {
    const now = performance.now();
    for (const { since } of origin.warming) if (now - since > warmWaitMs) return true;
    return false;
  };

  // Refused as the agent refuses a request whose connection failed: no socket, the error on the request.
  function refuse(req: ClientRequest, late: number) {
    if (req.destroyed) return;
    const onSocket = req.onSocket as unknown as (socket: undefined, err: Error) => void;
    onSocket.call(req, undefined, new SendTooLateError(Math.max(0, late)));
  }

  function send(w: Omit<Waiting, "timer">) {
    if (w.req.destroyed) return; // given up by its caller while it waited
    const late = performance.now() - w.sendBy;
    if (late > 0) return refuse(w.req, late);
    addRequest(w.req, w.options);
  }

  function drain(name: string, origin: Origin) {
    // After a failed warm-up every waiting request goes its own way.
    while (origin.waiting.length > 0 && (origin.failed || hasFree(name))) {
      const w = origin.waiting.shift()!;
      clearTimeout(w.timer);
      send(w);
    }
    if (origin.waiting.length === 0) return;
    const wanted = Math.min(origin.waiting.length, MAX_WARMING);
    while (origin.warming.size < wanted) warm(name, origin, origin.waiting[0].options);
  }

  function warm(name: string, origin: Origin, options: RequestOptions) {
    const warming = { since: performance.now() };
    origin.warming.add(warming);
    let kept = false;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      // After the agent has taken the socket back (or not), which it does once the request has closed.
      setImmediate(() => {
        origin.warming.delete(warming);
        origin.failed = !kept;
        drain(name, origin);
      });
    };
    const request = agent instanceof https.Agent ? https.request : http.request;
    // GET rather than HEAD: a HEAD answer without a length leaves Node unable to keep its connection.
    const get = request({ ...options, agent, method: "GET", path: "/", headers: {}, auth: undefined });
    get.setTimeout(warmTimeoutMs, () => get.destroy(new Error("warm-up unanswered")));
    get.on("socket", (socket) => socket.once("free", () => (kept = true)));
    get.on("response", (res) => res.resume());
    get.on("error", finish);
    get.on("close", finish);
    get.end();
  }

  // A socket set free (a warm-up's, or an answered request's) goes to the longest waiting request.
  agent.on("free", (_socket: Socket, options: RequestOptions) => {
    const name = inner.getName(options);
    const origin = origins.get(name);
    if (origin && origin.waiting.length > 0) drain(name, origin);
  });

  inner.addRequest = (req, options) => {
    const header = req.getHeader(SEND_BY_HEADER);
    if (header === undefined) return addRequest(req, options);
    req.removeHeader(SEND_BY_HEADER);
    const sendBy = Number(header);
    const late = performance.now() - sendBy;
    if (late > 0) return refuse(req, late);
    const name = inner.getName(options);
    if (hasFree(name)) return addRequest(req, options);
    const origin = originOf(name);
    if (origin.failed || slowWarming(origin)) {
      if (origin.warming.size === 0) warm(name, origin, options);
      return addRequest(req, options);
    }
    const w: Waiting = {
      req,
      options,
      sendBy,
      timer: setTimeout(() => {
        const at = origin.waiting.indexOf(w);
        if (at >= 0) origin.waiting.splice(at, 1);
        refuse(req, performance.now() - sendBy);
      }, sendBy - performance.now()),
    };
    origin.waiting.push(w);
    drain(name, origin);
  };
  return agent;
}
