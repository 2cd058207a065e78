// npm run test:deploy: the built service, two instances, through Debian's PgBouncer in transaction pooling.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import pg from "pg";
import WebSocket from "ws";
import { createApiKey } from "../../src/access/keys.js";
import { createDb, type Db } from "../../src/db/db.js";
import { AT_CARRIER, WAITING } from "../../src/deliveries/statuses.js";
import { startEmulator, type Emulator } from "../../src/sim/index.js";
import { maxInWindow } from "../../src/sim/pacer.js";
import { captureCallRequests } from "../../src/sim/wire-capture.js";
import { testDatabaseUrl } from "../helpers/db.js";
import { eventually } from "../helpers/eventually.js";
import { mobile, offset, dam, seedParticipants } from "../helpers/participants.js";
import { startServiceProcess } from "../helpers/service-process.js";
import { freePort } from "../helpers/stack.js";
import { startPgBouncer, type PgBouncer } from "./pgbouncer.js";

const server = new URL(testDatabaseUrl());
// Its own database, not a schema: PgBouncer passes no `options` (search_path) startup parameter through.
const database = `bn_deploy_${randomBytes(4).toString("hex")}`;
const direct = () => Object.assign(new URL(server), { pathname: `/${database}` }).toString();
let bouncer: PgBouncer;
let carrier: Emulator;
let db: Db;
const children: ReturnType<typeof startServiceProcess>[] = [];

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: server.toString() });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

before(async () => {
  assert.ok(existsSync("dist/server.js"), "dist/server.js is missing: npm run build first (npm run test:deploy does)");
  await admin(`CREATE DATABASE ${database}`);
  bouncer = await startPgBouncer(server, database);
  carrier = await startEmulator({ timeScale: 0.001, cps: 0 });
});
after(async () => {
  for (const c of children) c.child.kill("SIGKILL");
  await Promise.all(children.map((c) => c.exited));
  await db?.close();
  await carrier?.close();
  await bouncer?.stop();
  await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
});

function instance(port: number, cps: number, extra: Record<string, string> = {}) {
  const service = startServiceProcess(
    {
      DATABASE_URL: bouncer.url,
      PGBOUNCER: "true",
      DATABASE_DIRECT_URL: direct(),
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      TWILIO_ACCOUNT_SID: carrier.accountSid,
      TWILIO_AUTH_TOKEN: carrier.authToken,
      TWILIO_API_URL: carrier.url,
      DISPATCH_CPS: String(cps),
      ...extra,
    },
    { built: true },
  );
  children.push(service);
  return service;
}

test("two built instances behind PgBouncer (transaction pooling): nobody called twice, together never above the CPS, calls answered, live feed across instances", async (t) => {
  const cps = 20;
  const [portA, portB] = [await freePort(), await freePort()];
  const a = instance(portA, cps);
  const b = instance(portB, cps);
  await Promise.all([a.ready, b.ready]); // both migrated at once: the lock is taken on PostgreSQL directly

  db = createDb({ connectionString: direct(), max: 2 });
  const phones = Array.from({ length: 100 }, (_, i) => mobile(30_000 + i));
  await seedParticipants(
    db,
    phones.map((phone, i) => ({ phone, channels: ["voice"], ...offset(dam, (i % 10) * 60, Math.floor(i / 10) * 60) })),
  );
  const { key } = await createApiKey(db, { role: "operator", region: "RE05" });
  // The pace is counted where a carrier counts it: when each request reaches its host. The emulator runs in this
  // test's process and stamps a request when this event loop gets to it; a pause of its own (a GC, a burst of
  // callbacks) stamps together what arrived apart, and once made 21 out of 20 in CI.
  const wire = await captureCallRequests(Number(new URL(carrier.url).port), (m) => t.diagnostic(m));
  assert.ok(wire, "tcpdump captures the call requests on lo (apt-get install tcpdump; as root)");

  // Instance B's live feed hears what instance A writes: LISTEN is on a direct connection, not through the pooler.
  const feed = new WebSocket(`ws://127.0.0.1:${portB}/v1/live`, { headers: { authorization: `Bearer ${key}` } });
  const heard: { type: string }[] = [];
  feed.on("message", (m) => heard.push(JSON.parse(String(m))));
  await new Promise((r, f) => (feed.once("open", r), feed.once("error", f)));

  const res = await fetch(`http://127.0.0.1:${portA}/v1/alerts`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({
      kind: "missing_person",
      priority: "urgent",
      channels: ["voice"],
      texts: {
        nl: { voice: "Wij zoeken een jongen van acht in een rode jas.", sms: "Vermist: jongen (8), rode jas." },
      },
      area: { type: "circle", center: dam, radiusMeters: 1500 },
    }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  const alert = (await res.json()) as { id: string; targeting: { voice: number } };
  assert.equal(alert.targeting.voice, 100);

  await eventually(
    async () =>
      (
        await db.query("SELECT count(*) AS n FROM deliveries WHERE alert_id = $1 AND status = ANY($2::text[])", [
          alert.id,
          [...WAITING, ...AT_CARRIER],
        ])
      ).rows[0].n === 0,
    { timeoutMs: 60_000, what: "every call placed and finished" },
  );
  await eventually(async () => heard.some((m) => m.type === "alert.created"), {
    timeoutMs: 10_000,
    what: "instance B's live feed hears the alert created on A",
  });
  feed.close();

  const onWire = await wire.stop();
  for (const phone of phones) assert.equal(carrier.callsTo(phone).length, 1, `${phone} called once`);
  assert.equal(onWire.length, carrier.calls().length, "every call request seen on the wire");
  const max = maxInWindow(onWire, 1000);
  // On the grid 2 % under the CPS, any cps + 1 requests span 1,020 ms; what the instances lost of that shows here.
  const sorted = [...onWire].sort((x, y) => x - y);
  const tightest = Math.min(...sorted.slice(cps).map((at, i) => at - sorted[i]));
  t.diagnostic(
    `calls: ${onWire.length}; most requests on the wire in any second: ${max} (the emulator's stamps: ` +
      `${carrier.maxStartsInWindow(1000)}); the tightest ${cps + 1} spanned ${tightest.toFixed(1)} ms (CPS ${cps})`,
  );
  assert.ok(max <= cps, `at most ${cps} call requests reached the carrier in any second (saw ${max})`);

  // Calls were answered and their TwiML and status callbacks (the named-statement hot path) went through PgBouncer.
  const outcomes = (
    await db.query<{ status: string; n: number }>(
      "SELECT status, count(*) AS n FROM deliveries WHERE alert_id = $1 GROUP BY 1",
      [alert.id],
    )
  ).rows;
  t.diagnostic(`outcomes: ${outcomes.map((o) => `${o.status} ${o.n}`).join(", ")}`);
  const events = (await db.query("SELECT count(*) AS n FROM call_events")).rows[0].n as number;
  assert.ok(events >= 100, `status callbacks recorded (${events})`);
  assert.ok(
    outcomes.some((o) => ["answered", "completed", "voicemail"].includes(o.status)),
    JSON.stringify(outcomes),
  );

  const logs = a.output() + b.output();
  assert.doesNotMatch(
    logs,
    /prepared statement .* does not exist|already exists/,
    "no named statement reached PgBouncer",
  );
  assert.doesNotMatch(logs, /"level":50/, "no error logged");
  a.child.kill("SIGTERM");
  b.child.kill("SIGTERM");
  assert.deepEqual(await Promise.all([a.exited, b.exited]), [0, 0], "both shut down gracefully");
});

test("PgBouncer restarted mid-alert: both instances stay up, say degraded, resume by themselves, nobody called twice or missed", async (t) => {
  const [portA, portB] = [await freePort(), await freePort()];
  // Status callbacks answered 503 while the pooler is away are settled from the carrier's records once this long
  // has passed without one (180 s by default).
  const env = { CALLBACK_TIMEOUT_SECONDS: "5" };
  const a = instance(portA, 10, env);
  const b = instance(portB, 10, env);
  await Promise.all([a.ready, b.ready]);
  db ??= createDb({ connectionString: direct(), max: 2 });
  // Away from the first test's participants: this alert reaches only these.
  const centre = offset(dam, 0, 5_000);
  const phones = Array.from({ length: 80 }, (_, i) => mobile(31_000 + i));
  await seedParticipants(
    db,
    phones.map((phone, i) => ({
      phone,
      channels: ["voice"],
      ...offset(centre, (i % 10) * 60, Math.floor(i / 10) * 60),
    })),
  );
  const { key } = await createApiKey(db, { role: "operator", region: "RE05" });
  const res = await fetch(`http://127.0.0.1:${portA}/v1/alerts`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({
      kind: "missing_person",
      priority: "urgent",
      channels: ["voice"],
      texts: { nl: { voice: "Wij zoeken een vrouw met een groene tas.", sms: "Vermist: vrouw, groene tas." } },
      area: { type: "circle", center: centre, radiusMeters: 1000 },
    }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  const alert = (await res.json()) as { id: string; targeting: { voice: number } };
  assert.equal(alert.targeting.voice, phones.length);
  const called = () => phones.filter((p) => carrier.callsTo(p).length > 0).length;
  await eventually(async () => called() >= 20, { timeoutMs: 30_000, what: "20 called before the restart" });

  await bouncer.stop("immediate");
  const atStop = called();
  for (const port of [portA, portB]) {
    await eventually(
      async () => {
        const r = await fetch(`http://127.0.0.1:${port}/readyz`);
        return r.status === 503 && ((await r.json()) as { status: string }).status === "degraded";
      },
      { timeoutMs: 20_000, what: `instance on ${port} to say degraded` },
    );
  }
  bouncer = await startPgBouncer(server, database, 4, bouncer.port);

  await eventually(
    async () =>
      (
        await db.query("SELECT count(*) AS n FROM deliveries WHERE alert_id = $1 AND status = ANY($2::text[])", [
          alert.id,
          [...WAITING, ...AT_CARRIER],
        ])
      ).rows[0].n === 0,
    { timeoutMs: 90_000, what: "every call placed and finished after the restart" },
  ).catch(async (err: Error) => {
    const left = await db.query(
      `SELECT status, attempts, provider_sid IS NULL AS nosid, count(*)::int AS n
         FROM deliveries WHERE alert_id = $1 GROUP BY 1, 2, 3`,
      [alert.id],
    );
    t.diagnostic(`left: ${JSON.stringify(left.rows)}`);
    t.diagnostic(a.output().slice(-3000));
    t.diagnostic(b.output().slice(-3000));
    throw err;
  });
  assert.equal(a.child.exitCode, null, "instance A stayed up");
  assert.equal(b.child.exitCode, null, "instance B stayed up");
  for (const port of [portA, portB]) assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200);
  assert.ok(called() > atStop, "dispatch resumed by itself");
  for (const phone of phones) assert.equal(carrier.callsTo(phone).length, 1, `${phone} called once`);
  t.diagnostic(`${atStop} of ${phones.length} called before the restart`);
  a.child.kill("SIGTERM");
  b.child.kill("SIGTERM");
  assert.deepEqual(await Promise.all([a.exited, b.exited]), [0, 0], "both shut down gracefully");
});
