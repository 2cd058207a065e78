import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, type Db } from "../../src/db/db.js";
import { migrate } from "../../src/db/migrate.js";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../src/db/embedded.js";
import { bearer, freePort, startStack, type Stack } from "../helpers/stack.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";
import { eventually } from "../helpers/eventually.js";
import { startReceiver, type Receiver } from "../webhooks/harness.js";

// A PostgreSQL of this test's own, stopped (fast shutdown: every session ended, as a restart for a minor upgrade
// does) and started again on the same port while an alert dispatches.
let dir: string;
let pgPort: number;
let server: EmbeddedPostgres;
let db: Db;
let s: Stack;
let receiver: Receiver;
const phones = Array.from({ length: 120 }, (_, i) => mobile(95_000 + i));
const callbackFailures: { status?: number; error?: string }[] = [];

async function startServer() {
  server = await startEmbeddedPostgres({ dataDir: join(dir, "data"), port: pgPort });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "burgernet-restart-"));
  chmodSync(dir, 0o755); // the postgres OS user must reach it when the tests run as root
  pgPort = await freePort();
  await startServer();
  db = createDb({ connectionString: server.connectionString, max: 10 });
  await migrate(db);
  s = await startStack({
    db,
    env: { DISPATCH_CPS: "20", WEBHOOK_ALLOW_PRIVATE: "true" },
    // Calls last ~0.5 s, so that some are ringing or talking when the server goes away and call back during it.
    emulator: { timeScale: 0.02 },
    dispatch: { callbackTimeoutMs: 3_000, leaseMs: 3_000, requestTimeoutMs: 2_000 },
    webhooks: { pollMs: 50, retryScheduleMs: [200, 400, 800], timeoutMs: 2_000 },
  });
  s.emulator.on("webhook:failed", (e) => {
    if (e.kind === "status-callback") callbackFailures.push({ status: e.status, error: e.error });
  });
  await seedParticipants(
    db,
    phones.map((phone, i) => ({ phone, ...offset(dam, (i % 12) * 50, Math.floor(i / 12) * 50), channels: ["voice"] })),
  );
  receiver = await startReceiver();
});
after(async () => {
  await s?.close();
  await receiver?.close();
  await db?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("PostgreSQL restarted mid-alert: the service stays up, says so, and calls everyone exactly once", async (t) => {
  const sub = await s.app.inject({
    method: "POST",
    url: "/v1/webhooks",
    headers: bearer(s.keys.operator),
    payload: { url: receiver.url, eventTypes: ["alert.created", "alert.progress"] },
  });
  assert.equal(sub.statusCode, 201, sub.body);
  const res = await s.app.inject({
    method: "POST",
    url: "/v1/alerts",
    headers: bearer(s.keys.operator),
    payload: {
      kind: "missing_person",
      priority: "urgent",
      channels: ["voice"],
      area: { type: "circle", center: dam, radiusMeters: 1500 },
      texts: { nl: { voice: "Gezocht: een oudere man met een blauwe jas.", sms: "Gezocht: oudere man." } },
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  const alertId = res.json().id as string;
  await s.emulator.waitFor(() => s.emulator.calls().length >= 30, { timeoutMs: 30_000 });

  await server.stop();
  const callsAtStop = s.emulator.calls().length;
  const ready = await eventually(
    async () => {
      const r = await s.app.inject("/readyz");
      return r.statusCode === 503 && r.json().status === "degraded" ? (r.json() as { reason: string }) : false;
    },
    { what: "/readyz to say degraded" },
  );
  assert.equal(ready.reason, "database unreachable");
  // Calls placed before the stop end during the outage: their status callbacks meet no database.
  await eventually(async () => callbackFailures.length > 0, { what: "a status callback during the outage" });
  const answered = callbackFailures.map((f) => f.status ?? f.error).join(", ");
  assert.ok(
    callbackFailures.every((f) => f.status === 503),
    `every status callback during the outage answered 503, so Twilio keeps it (saw ${answered})`,
  );
  assert.equal((await s.app.inject("/healthz")).statusCode, 200, "the process is up");
  const eventsBefore = receiver.received.length;
  await startServer();

  await eventually(async () => (await s.app.inject("/readyz")).statusCode === 200, { what: "/readyz ready again" });
  await eventually(
    async () =>
      (
        await db.query(
          `SELECT count(*)::int AS n FROM deliveries WHERE alert_id = $1
             AND status IN ('pending', 'sending', 'submitted', 'ringing', 'in_progress')`,
          [alertId],
        )
      ).rows[0].n === 0,
    { what: "every delivery ended", timeoutMs: 60_000 },
  );
  assert.ok(s.emulator.calls().length > callsAtStop, "dispatch resumed by itself");
  for (const phone of phones) assert.equal(s.emulator.callsTo(phone).length, 1, `${phone} called once`);
  // Every call's outcome is known, also of those whose callbacks met the outage: the carrier's word, asked for.
  const rows = (
    await db.query<{ provider_sid: string; status: string }>(
      "SELECT provider_sid, status FROM deliveries WHERE alert_id = $1",
      [alertId],
    )
  ).rows;
  assert.equal(rows.length, phones.length);
  for (const r of rows) {
    const call = s.emulator.getCall(r.provider_sid);
    assert.equal(call?.status, "completed", `${r.provider_sid} completed at the carrier`);
    assert.equal(r.status, "answered", `${r.provider_sid} answered, as the carrier says`);
  }
  await eventually(async () => receiver.received.length > eventsBefore, { what: "webhooks after the restart" });
  t.diagnostic(
    `${callsAtStop} calls placed before the stop; ` +
      `${callbackFailures.length} status callbacks answered 503 during the outage`,
  );
});
