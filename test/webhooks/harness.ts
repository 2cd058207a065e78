import http from "node:http";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { Webhook } from "standardwebhooks";
import { buildApp, type AppOptions } from "../../src/app.js";
import { createApiKey } from "../../src/access/keys.js";
import { loadConfig } from "../../src/config.js";
import type { Db, Queryable } from "../../src/db/db.js";
import { publishEvent, type OperatorEvent } from "../../src/events/publish.js";
import { createTwilioClient } from "../../src/twilio/client.js";
import { createTestDb } from "../helpers/db.js";

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

export type TestDb = Awaited<ReturnType<typeof createTestDb>>;

/**
 * The app without a phone network (the dispatcher is off): only the results side is under test.
 * Webhook timing is in milliseconds here.
 */
export async function startApp(opts: {
  db: Db;
  allowPrivate?: boolean;
  webhooks?: AppOptions["webhooks"];
  live?: AppOptions["live"];
}) {
  const config = loadConfig({
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    WEBHOOK_ALLOW_PRIVATE: String(opts.allowPrivate ?? true),
    TWILIO_ACCOUNT_SID: `AC${"0".repeat(32)}`,
    TWILIO_AUTH_TOKEN: "x".repeat(32),
    TWILIO_API_URL: "http://127.0.0.1:9",
  });
  const twilio = createTwilioClient({ ...config.twilio!, apiUrl: "http://127.0.0.1:9" });
  const app = await buildApp({
    config,
    db: opts.db,
    twilio,
    dispatch: { autoStart: false },
    webhooks: { pollMs: 25, retryScheduleMs: [50, 100, 200], timeoutMs: 2_000, ...opts.webhooks },
    live: opts.live,
  });
  await app.ready();
  return app;
}

export async function keysFor(db: Queryable) {
  return {
    operator: (await createApiKey(db, { role: "operator", region: "RE05" })).key,
    otherRegion: (await createApiKey(db, { role: "operator", region: "RE07" })).key,
    admin: (await createApiKey(db, { role: "admin" })).key,
    registration: (await createApiKey(db, { role: "registration" })).key,
  };
}

export function emit(db: Db, e: Omit<OperatorEvent, "region"> & { region?: string }) {
  return db.withTransaction((tx) => publishEvent(tx, { region: "RE05", ...e }));
}

/** Polls a condition instead of sleeping a guessed time; fails with `what` after `timeoutMs`. */
type Truthy<T> = Exclude<T, false | null | undefined | 0 | "">;

export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 10_000): Promise<Truthy<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as Truthy<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  at: number;
  verified: boolean;
}

type Responder = (
  n: number,
  req: http.IncomingMessage,
) => { status: number; headers?: Record<string, string>; delayMs?: number };

/**
 * An operator's endpoint: verifies every request with the independent `standardwebhooks` package and answers
 * as `respond` says. `down()` closes the port, `up()` opens the same port again.
 */
export async function startReceiver(respond: Responder = () => ({ status: 204 })) {
  const received: Received[] = [];
  let secrets: string[] = [];
  let n = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let connections = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = {
        "webhook-id": String(req.headers["webhook-id"]),
        "webhook-timestamp": String(req.headers["webhook-timestamp"]),
        "webhook-signature": String(req.headers["webhook-signature"]),
      };
      const verified =
        secrets.length > 0 &&
        secrets.every((s) => {
          try {
            new Webhook(s).verify(body, headers);
            return true;
          } catch {
            return false;
          }
        });
      received.push({
        id: headers["webhook-id"],
        timestamp: headers["webhook-timestamp"],
        signature: headers["webhook-signature"],
        body,
        at: Date.now(),
        verified,
      });
      const r = respond(n++, req);
      setTimeout(() => {
        inFlight--;
        res.writeHead(r.status, r.headers).end();
      }, r.delayMs ?? 0);
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    received,
    /** Every request must verify with each of these secrets. */
    trust(...s: string[]) {
      secrets = s;
    },
    stats: () => ({ maxInFlight, connections, requests: n }),
    async down() {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
    async up() {
      await new Promise<void>((ok) => server.listen(port, "127.0.0.1", ok));
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

export async function subscribe(app: FastifyInstance, key: string, body: object) {
  return app.inject({ method: "POST", url: "/v1/webhooks", headers: bearer(key), payload: body });
}

export { createTestDb };

/**
 * An endpoint that accepts the connection, reads the request and never answers: what a hung receiver looks like.
 * `inFlight` counts the requests it holds now, `maxInFlight` the most at once. `close()` drops every socket, which
 * ends the sender's requests at once.
 */
export async function startStalledReceiver(host = "127.0.0.1") {
  const sockets = new Set<import("node:net").Socket>();
  let inFlight = 0;
  let maxInFlight = 0;
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    inFlight = Math.max(0, inFlight) + 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on("close", () => inFlight--);
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((ok) => server.listen(0, host, ok));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path: string) => `http://${host}:${port}${path}`,
    stats: () => ({ inFlight, maxInFlight, requests }),
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
