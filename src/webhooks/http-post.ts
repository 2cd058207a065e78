import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { resolvePublic, type Resolver } from "./ssrf.js";

export interface PostResult {
  status: number;
  retryAfter?: string;
}

export interface PostOptions {
  timeoutMs: number;
  agents: { http: http.Agent; https: https.Agent };
  /** null: private targets allowed (development); the system resolver is used unchecked. */
  resolver: Resolver | null;
  /** false: the resolver's answers are used unchecked (development, with a resolver of a test's own). */
  publicOnly?: boolean;
}

/**
 * Resolves and checks the name at connect time and hands the checked address to the socket, so a DNS answer
 * that changes between the check and the connect (rebinding) cannot slip a private address through.
 */
function pinnedLookup(resolver: Resolver, publicOnly: boolean): LookupFunction {
  return (hostname, options, callback) => {
    (publicOnly ? resolvePublic(hostname, resolver) : resolver(hostname)).then(
      (addresses) => {
        const all = addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
        if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: typeof all) => void)(null, all);
        else callback(null, all[0].address, all[0].family);
      },
      (err: Error) => callback(err as NodeJS.ErrnoException, "", 0),
    );
  };
}

/** Keep-alive pools: a socket is checked when it connects, so reusing it later is safe. */
export function createAgents(ca?: string) {
  const options = { keepAlive: true, maxSockets: 64, maxFreeSockets: 16, timeout: 30_000 };
  const agents = { http: new http.Agent(options), https: new https.Agent({ ...options, ...(ca ? { ca } : {}) }) };
  return { ...agents, destroy: () => (agents.http.destroy(), agents.https.destroy()) };
}

/** One POST without following redirects; the response body is drained and ignored. */
export function postJson(
  url: URL,
  headers: Record<string, string>,
  body: string,
  opts: PostOptions,
): Promise<PostResult> {
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: "POST",
        headers: {
          ...headers,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "user-agent": "burgernet-voice-webhooks/1",
        },
        agent: url.protocol === "https:" ? opts.agents.https : opts.agents.http,
        ...(opts.resolver ? { lookup: pinnedLookup(opts.resolver, opts.publicOnly ?? true) } : {}),
      },
      (res) => {
        res.resume();
        res.on("end", () => {
          clearTimeout(timer);
          const retryAfter = res.headers["retry-after"];
          resolve({ status: res.statusCode ?? 0, ...(typeof retryAfter === "string" ? { retryAfter } : {}) });
        });
        res.on("error", (err) => {
          clearTimeout(timer);
          reject(err);
        });
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`timed out after ${opts.timeoutMs} ms`)), opts.timeoutMs);
    req.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end(body);
  });
}
