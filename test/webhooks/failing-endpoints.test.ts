import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSecureContext } from "node:tls";
import type { FastifyInstance } from "fastify";
import { bearer, createTestDb, emit, keysFor, startApp, startReceiver, type Receiver, type TestDb } from "./harness.js";
import { eventually } from "../helpers/eventually.js";

/**
 * One unit's endpoint fails every way an endpoint fails, in turn: its name does not resolve, its TLS is wrong, it
 * hangs past the timeout, it answers 500; then it recovers. The unit's other endpoint is never held up, the failing
 * one is retried on the schedule, and its backlog drains once it is back. Durations are production's times 0.1:
 * 1 s timeout (10 s), 3 s hangs (30 s). The name resolves through a resolver of the test's own (no DNS is asked),
 * and the endpoint's certificate comes from an authority the sender is told to trust.
 */
const HOST = "failing.internal";
const SCHEDULE_MS = [300, 600, 1_200];
const TIMEOUT_MS = 1_000;
type Mode = "dns" | "tls" | "hang" | "500" | "ok";
let mode: Mode = "dns";
let dir: string;
let db: TestDb;
let app: FastifyInstance;
let healthy: Receiver;
let failing: Server;
const arrivals: { id: string; at: number }[] = [];

const opensslPresent = (() => {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

function selfSigned(name: string, cn: string) {
  const [key, cert] = [join(dir, `${name}.key`), join(dir, `${name}.pem`)];
  execFileSync(
    "openssl",
    [
      ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"],
      ...["-keyout", key, "-out", cert, "-subj", `/CN=${cn}`, "-addext", `subjectAltName=DNS:${cn}`],
    ],
    { stdio: "ignore" },
  );
  return { key: readFileSync(key, "utf8"), cert: readFileSync(cert, "utf8") };
}

before(async () => {
  if (!opensslPresent) return;
  dir = mkdtempSync(join(tmpdir(), "burgernet-failing-"));
  const trusted = selfSigned("trusted", HOST);
  const untrusted = selfSigned("untrusted", HOST);
  failing = createServer(
    {
      ...trusted,
      // The certificate shown depends on the mode at each handshake: one nobody vouches for while TLS is "broken".
      SNICallback: (_name, cb) => cb(null, createSecureContext(mode === "tls" ? untrusted : trusted)),
    },
    (req, res) => {
      req.resume();
      if (mode === "hang") return; // never answers; the sender's timeout ends it
      if (mode === "ok") arrivals.push({ id: String(req.headers["webhook-id"]), at: Date.now() });
      res.writeHead(mode === "500" ? 500 : 204).end();
    },
  );
  await new Promise<void>((ok) => failing.listen(0, "127.0.0.1", ok));
  db = await createTestDb();
  const resolver = async (host: string) => {
    if (host === HOST && mode === "dns")
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    return ["127.0.0.1"];
  };
  app = await startApp({
    db,
    webhooks: {
      pollMs: 25,
      retryScheduleMs: SCHEDULE_MS,
      timeoutMs: TIMEOUT_MS,
      random: () => 0.5,
      resolver,
      ca: trusted.cert,
    },
  });
  healthy = await startReceiver();
});
after(async () => {
  if (!opensslPresent) return;
  failing.closeAllConnections();
  await new Promise<void>((ok) => failing.close(() => ok()));
  await app.close();
  await healthy.close();
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

test(
  "an endpoint failing by DNS, TLS, hangs and 500s: the healthy one not delayed, retries on schedule, backlog drained",
  { skip: !opensslPresent && "openssl is not installed: no certificates to test TLS with" },
  async (t) => {
    const keys = await keysFor(db);
    const port = (failing.address() as AddressInfo).port;
    for (const url of [healthy.url, `https://${HOST}:${port}/hook`]) {
      const res = await app.inject({
        method: "POST",
        url: "/v1/webhooks",
        headers: bearer(keys.operator),
        payload: { url, eventTypes: ["sighting.created"] },
      });
      assert.equal(res.statusCode, 201, res.body);
      if (url === healthy.url) healthy.trust(res.json().secret);
    }
    // 2 s of each failure, an event every 200 ms throughout, then the endpoint recovers.
    const events: { id: string; at: number }[] = [];
    for (const m of ["dns", "tls", "hang", "500"] as const) {
      mode = m;
      for (let i = 0; i < 10; i++) {
        const id = await emit(db, { type: "sighting.created", data: { mode: m, i } });
        events.push({ id: `evt_${id}`, at: Date.now() });
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const healthyLatency = events.map((e) => {
      const got = healthy.received.find((r) => r.id === e.id);
      return got ? got.at - e.at : Infinity;
    });
    mode = "ok";
    assert.ok(
      healthyLatency.every((ms) => ms < 1000),
      `the healthy endpoint got each event within 1 s (slowest ${Math.max(...healthyLatency)} ms)`,
    );
    assert.ok(healthy.received.every((r) => r.verified));

    await eventually(async () => events.every((e) => arrivals.some((a) => a.id === e.id)), {
      what: "the failing endpoint's backlog delivered after it recovered",
      timeoutMs: 30_000,
    });
    const attempts = (
      await db.query<{
        delivery_id: string;
        attempted_at: Date;
        duration_ms: number;
        error: string | null;
        status_code: number | null;
      }>(
        `SELECT a.delivery_id, a.attempted_at, a.duration_ms, a.error, a.status_code
         FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
         JOIN webhook_subscriptions s ON s.id = d.subscription_id
        WHERE s.url LIKE $1 ORDER BY a.delivery_id, a.id`,
        [`https://${HOST}:%`],
      )
    ).rows;
    const errors = attempts.map((a) => a.error ?? `HTTP ${a.status_code}`);
    assert.ok(
      errors.some((e) => /ENOTFOUND/.test(e)),
      "a DNS failure was met",
    );
    assert.ok(
      errors.some((e) => /certificate/i.test(e)),
      "a TLS failure was met",
    );
    assert.ok(
      errors.some((e) => /timed out/.test(e)),
      "a hang was cut at the timeout",
    );
    assert.ok(errors.includes("HTTP 500"), "a 500 was met");
    // Each retry waits its step of the schedule after the attempt before it ended: never sooner. Later only while the
    // endpoint's 4 request slots are held by hung requests (1 s each); most go within a poll of their time.
    const late: number[] = [];
    for (let i = 1; i < attempts.length; i++) {
      const [prev, cur] = [attempts[i - 1], attempts[i]];
      if (prev.delivery_id !== cur.delivery_id) continue;
      const n = attempts.filter((a, j) => j < i && a.delivery_id === cur.delivery_id).length;
      const step = SCHEDULE_MS[Math.min(n - 1, SCHEDULE_MS.length - 1)];
      const waited = cur.attempted_at.getTime() - prev.attempted_at.getTime() - prev.duration_ms;
      assert.ok(
        waited >= step - 5,
        `retry ${n} of delivery ${cur.delivery_id} came ${waited} ms after, before ${step}`,
      );
      late.push(waited - step);
    }
    late.sort((a, b) => a - b);
    const p = (q: number) => late[Math.min(late.length - 1, Math.floor(q * late.length))];
    assert.ok(late.length > 20, `${late.length} retries checked`);
    assert.ok(p(0.5) <= 500, `half the retries within 500 ms of their time (median ${p(0.5)} ms late)`);
    await eventually(
      async () =>
        (await db.query("SELECT count(*)::int AS n FROM webhook_deliveries WHERE status <> 'succeeded'")).rows[0].n ===
        0,
      { what: "every delivery of both endpoints recorded as succeeded" },
    );
    t.diagnostic(
      `${attempts.length} attempts to the failing endpoint; retries late by median ${p(0.5)}, p90 ${p(0.9)}, ` +
        `max ${p(1)} ms; healthy endpoint slowest ${Math.max(...healthyLatency)} ms`,
    );
  },
);
