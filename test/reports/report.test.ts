import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import { bearer, createTestDb, emit, keysFor, startApp, type TestDb } from "../webhooks/harness.js";
import { seedAlert, seedDeliveries } from "./seed.js";

let db: TestDb;
let app: FastifyInstance;
let keys: Awaited<ReturnType<typeof keysFor>>;
let alertId: string;
const created = new Date(Date.now() - 10 * 60_000);
const at = (s: number) => new Date(created.getTime() + s * 1000);

before(async () => {
  db = await createTestDb();
  app = await startApp({ db, webhooks: { enabled: false } });
  keys = await keysFor(db);
  alertId = await seedAlert(db, { status: "active", createdAt: created });
  await seedDeliveries(db, alertId, [
    { channel: "voice", status: "answered", answeredAt: at(42) },
    { channel: "voice", status: "answered", answeredAt: at(30.5) },
    { channel: "voice", status: "voicemail", answeredAt: at(12) },
    { channel: "voice", status: "busy" },
    { channel: "voice", status: "no_answer" },
    { channel: "voice", status: "no_answer" },
    { channel: "voice", status: "failed" },
    { channel: "voice", status: "ringing" },
    { channel: "sms", status: "delivered" },
    { channel: "sms", status: "delivered" },
    { channel: "sms", status: "undelivered" },
    { channel: "sms", status: "canceled" },
    { channel: "sms", status: "delivered", purpose: "closing" },
  ]);
  for (const [source, s] of [
    ["voice", 95],
    ["sms", 140],
    ["inbound", 300],
  ] as const) {
    await db.query(
      "INSERT INTO sightings (alert_id, region_code, source, transcript, created_at) VALUES ($1, 'RE05', $2, " +
        "'gezien', $3)",
      [alertId, source, at(s)],
    );
  }
  await emit(db, { type: "call.connected", alertId, data: {} });
  await emit(db, { type: "call.connected", alertId, data: {} });
  await emit(db, { type: "sighting.created", alertId, data: {} });
});
after(async () => {
  await app.close();
  await db.drop();
});

describe("alert report", () => {
  test("counts outcomes, tips, put-throughs and first-answer and first-tip times from the tables", async () => {
    const res = await app.inject({
      method: "GET",
      url: `/v1/alerts/${alertId}/report`,
      headers: bearer(keys.operator),
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), {
      alertId,
      status: "active",
      mode: "live",
      targeted: 12,
      reached: 5,
      inProgress: 1,
      presence: { near: 0, away: 0, unknown: 0 },
      canceled: 1,
      calls: { total: 8, answered: 2, voicemail: 1, busy: 1, noAnswer: 2, failed: 1 },
      sms: { total: 4, delivered: 2, failed: 1 },
      tips: { total: 3, voice: 1, sms: 1, inbound: 1 },
      putThrough: 2,
      timeToFirstAnswerSeconds: 30.5,
      timeToFirstTipSeconds: 95,
      // No photo, nothing priced by the carrier yet (test/photos, test/cost count them).
      photo: { links: 0, opened: 0, views: 0 },
      cost: {
        eur: 0,
        calls: { priced: 0, eur: 0 },
        sms: { priced: 0, eur: 0 },
        closing: { priced: 0, eur: 0 },
        awaitingPrice: 0,
        carrierAmounts: [],
      },
      followUps: { updates: 0, notified: 0, reached: 0 },
      widened: 0,
    });
  });

  test("CSV lists every delivery with masked phone numbers", async () => {
    const res = await app.inject({
      method: "GET",
      url: `/v1/alerts/${alertId}/report?format=csv`,
      headers: bearer(keys.operator),
    });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["content-type"]), /^text\/csv/);
    const lines = res.body.trimEnd().split("\r\n");
    assert.equal(
      lines[0],
      "id,channel,purpose,language,rank,distance_m,phone,status,attempts," +
        "answered_by,answered_at,completed_at,duration_s,last_error_code",
    );
    assert.equal(lines.length, 14);
    assert.ok(!/\+316100000\d\d/.test(res.body), "no full phone number");
    assert.match(lines[1], /,\+316•••••000,answered,/);
    const audit = (
      await db.query(
        "SELECT count(*)::int AS n FROM audit_log WHERE action = 'report.export_csv' AND subject_id = $1",
        [alertId],
      )
    ).rows[0].n;
    assert.equal(audit, 1);
  });

  test("is region-scoped and needs an operator key", async () => {
    const other = await app.inject({
      method: "GET",
      url: `/v1/alerts/${alertId}/report`,
      headers: bearer(keys.otherRegion),
    });
    assert.equal(other.statusCode, 404, "another unit's alert is answered as an unknown one");
    assert.equal(
      (await app.inject({ method: "GET", url: `/v1/alerts/${alertId}/report`, headers: bearer(keys.registration) }))
        .statusCode,
      403,
    );
    assert.equal((await app.inject({ method: "GET", url: `/v1/alerts/${alertId}/report` })).statusCode, 401);
    assert.equal(
      (await app.inject({ method: "GET", url: `/v1/alerts/${alertId}/report`, headers: bearer(keys.admin) }))
        .statusCode,
      200,
    );
    const missing = await app.inject({
      method: "GET",
      url: "/v1/alerts/00000000-0000-4000-8000-000000000000/report",
      headers: bearer(keys.operator),
    });
    assert.equal(missing.statusCode, 404);
    const badFormat = await app.inject({
      method: "GET",
      url: `/v1/alerts/${alertId}/report?format=pdf`,
      headers: bearer(keys.operator),
    });
    assert.equal(badFormat.statusCode, 400);
  });

  test("an alert without deliveries reports zeros and no times", async () => {
    const empty = await seedAlert(db, { status: "active" });
    const r = (
      await app.inject({ method: "GET", url: `/v1/alerts/${empty}/report`, headers: bearer(keys.operator) })
    ).json();
    assert.equal(r.targeted, 0);
    assert.equal(r.timeToFirstAnswerSeconds, null);
    assert.equal(r.timeToFirstTipSeconds, null);
  });
});
