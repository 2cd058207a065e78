import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { bearer, startStack, type Stack } from "../helpers/stack.js";
import { eventually } from "../helpers/eventually.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";

let s: Stack;
// The service's clock: real time moved forward by the tests (never back, so that expiries stay ahead).
let aheadMs = 0;
const advance = (ms: number) => (aheadMs += ms);
const texts = { nl: { voice: "Let op een grijze scooter.", sms: "Grijze scooter gezien? Bel 112." } };
const circle = (radiusMeters: number, center = dam) => ({ type: "circle", center, radiusMeters });
// Rings of participants around the Dam: 5 within 500 m, 5 between 1 and 1.5 km, 5 between 3 and 3.5 km.
const ring = (from: number, start: number) =>
  Array.from({ length: 5 }, (_, i) => ({ phone: mobile(start + i), ...offset(dam, from + i * 100) }));
const inner = ring(0, 73_000);
const middle = ring(1000, 73_100);
const outer = ring(3000, 73_200);

before(async () => {
  s = await startStack({ clock: () => new Date(Date.now() + aheadMs) });
  await seedParticipants(s.db, [...inner, ...middle, ...outer]);
});
after(() => s.close());

const post = (url: string, payload: object, key = s.keys.operator) =>
  s.app.inject({ method: "POST", url, headers: bearer(key), payload });

async function create(payload: object = {}) {
  const res = await post("/v1/alerts", { kind: "vehicle", channels: ["sms"], area: circle(600), texts, ...payload });
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
}

const messagesFor = (phone: string) => s.emulator.messagesTo(phone).filter((m) => m.body.includes("scooter")).length;
const deliveries = async (id: string) =>
  (
    await s.db.query<{ phone: string; rank: number; distance_m: number }>(
      "SELECT phone, rank, distance_m FROM deliveries WHERE alert_id = $1 AND purpose = 'alert' ORDER BY rank",
      [id],
    )
  ).rows;

describe("widening an alert's area", () => {
  test("only those not yet targeted are added, nearest to the first area first; nobody gets it twice", async () => {
    const a = await create();
    assert.equal(a.targeting.participants, 5);
    await s.emulator.waitFor(() => inner.every((p) => messagesFor(p.phone) === 1));
    const res = await post(`/v1/alerts/${a.id}/extend`, { area: circle(2000) });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().added, 5);
    assert.equal(res.json().skipped.already_targeted, 5);
    const again = await post(`/v1/alerts/${a.id}/extend`, { area: circle(4000) });
    assert.equal(again.json().added, 5, "the outer ring only");
    await s.emulator.waitFor(() => [...middle, ...outer].every((p) => messagesFor(p.phone) === 1));
    for (const p of [...inner, ...middle, ...outer]) assert.equal(messagesFor(p.phone), 1, `${p.phone} once`);
    const rows = await deliveries(a.id);
    assert.deepEqual(
      rows.map((r) => r.phone),
      [...inner, ...middle, ...outer].map((p) => p.phone),
      "ranked nearest to the first area's centre, after everyone targeted before",
    );
    const got = (await s.app.inject({ url: `/v1/alerts/${a.id}`, headers: bearer(s.keys.operator) })).json();
    assert.deepEqual(got.area, circle(4000));
    const events = (
      await s.db.query("SELECT data FROM events WHERE alert_id = $1 AND type = 'alert.extended' ORDER BY seq", [a.id])
    ).rows.map((r) => [r.data.added, r.data.automatic]);
    assert.deepEqual(events, [
      [5, false],
      [5, false],
    ]);
  });

  test("a smaller area, one outside the unit, or an ended alert is refused and nothing is written", async () => {
    const a = await create();
    const before = (await deliveries(a.id)).length;
    const smaller = await post(`/v1/alerts/${a.id}/extend`, { area: circle(400) });
    assert.equal(smaller.statusCode, 422, smaller.body);
    assert.equal(smaller.json().error.code, "BN_AREA_NOT_LARGER");
    const elsewhere = await post(`/v1/alerts/${a.id}/extend`, { area: circle(2000, offset(dam, 5000)) });
    assert.equal(elsewhere.statusCode, 422, "a larger circle that does not hold the current area");
    // A MultiPolygon that holds the current area, with a part wholly in another unit (Utrecht).
    const square = (lon: number, lat: number, d: number) => [
      [
        [lon - d, lat - d],
        [lon + d, lat - d],
        [lon + d, lat + d],
        [lon - d, lat + d],
        [lon - d, lat - d],
      ],
    ];
    const otherUnit = await post(`/v1/alerts/${a.id}/extend`, {
      area: { type: "MultiPolygon", coordinates: [square(dam.lon, dam.lat, 0.03), square(5.12, 52.09, 0.01)] },
    });
    assert.equal(otherUnit.statusCode, 403, otherUnit.body);
    assert.equal(otherUnit.json().error.code, "BN_AREA_OUTSIDE_REGION");
    const foreign = await post(`/v1/alerts/${a.id}/extend`, { area: circle(2000) }, s.keys.otherRegion);
    assert.equal(foreign.statusCode, 404);
    assert.equal((await deliveries(a.id)).length, before);
    assert.equal((await post(`/v1/alerts/${a.id}/cancel`, {})).statusCode, 200);
    const ended = await post(`/v1/alerts/${a.id}/extend`, { area: circle(2000) });
    assert.equal(ended.statusCode, 409);
    assert.equal(ended.json().error.code, "BN_CONFLICT");
    assert.equal((await deliveries(a.id)).length, before);
    const events = await s.db.query("SELECT 1 FROM events WHERE alert_id = $1 AND type = 'alert.extended'", [a.id]);
    assert.equal(events.rowCount, 0);
  });

  test("an area that reaches past the unit's boundary adds only participants inside the unit", async () => {
    // From the Dam, 20 km reaches into other units: the added ones are clipped to Amsterdam's unit (RE05).
    const farAway = mobile(73_900);
    await seedParticipants(s.db, [{ phone: farAway, lat: 52.3812, lon: 4.6368 }]); // Haarlem, unit Noord-Holland
    const a = await create();
    const res = await post(`/v1/alerts/${a.id}/extend`, { area: circle(20000) });
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(res.json().skipped.outside_region >= 1);
    assert.ok(!(await deliveries(a.id)).some((d) => d.phone === farAway));
  });
});

describe("automatic escalation", () => {
  test("too few answered after afterMinutes: the circle grows once to radiusMeters", async () => {
    const a = await create({ escalation: { afterMinutes: 10, minAnswered: 3, radiusMeters: 2000 } });
    assert.deepEqual(a.escalation, { afterMinutes: 10, minAnswered: 3, radiusMeters: 2000 });
    const targeted = async () => (await deliveries(a.id)).length;
    assert.equal(await targeted(), 5);
    // Nothing happens before its time, however often the escalation pass runs.
    assert.equal(await s.app.alerts.escalateDue(), 0);
    assert.equal(await targeted(), 5);
    advance(11 * 60_000);
    await eventually(async () => (await targeted()) === 10, { what: "the area grown" });
    const got = (await s.app.inject({ url: `/v1/alerts/${a.id}`, headers: bearer(s.keys.operator) })).json();
    assert.deepEqual(got.area, circle(2000));
    assert.ok(got.escalationCheckedAt);
    assert.deepEqual(got.targeting.escalation.answered, 0, "SMS are no answers");
    // Once: later passes change nothing.
    assert.equal(await s.app.alerts.escalateDue(), 0);
    assert.equal(await targeted(), 10);
    const event = (
      await s.db.query("SELECT data FROM events WHERE alert_id = $1 AND type = 'alert.extended'", [a.id])
    ).rows.map((r) => r.data);
    assert.equal(event.length, 1);
    assert.equal(event[0].automatic, true);
    assert.equal(event[0].added, 5);
  });

  test("a polygon grows to the circle of radiusMeters around its centre", async () => {
    const d = 0.004; // about 450 m north and south, 270 m east and west of the Dam
    const polygon = {
      type: "Polygon",
      coordinates: [
        [
          [dam.lon - d, dam.lat - d],
          [dam.lon + d, dam.lat - d],
          [dam.lon + d, dam.lat + d],
          [dam.lon - d, dam.lat + d],
          [dam.lon - d, dam.lat - d],
        ],
      ],
    };
    const a = await create({ area: polygon, escalation: { afterMinutes: 1, minAnswered: 1, radiusMeters: 2000 } });
    assert.equal(a.targeting.participants, 3, "the inner ring's first three lie inside");
    advance(2 * 60_000);
    await eventually(async () => (await deliveries(a.id)).length === 10, { what: "the polygon grown" });
    const got = (await s.app.inject({ url: `/v1/alerts/${a.id}`, headers: bearer(s.keys.operator) })).json();
    assert.equal(got.area.type, "circle");
    assert.equal(got.area.radiusMeters, 2000);
  });

  test("nothing happens after a cancel or close, nor when enough have answered", async () => {
    const cancelled = await create({ escalation: { afterMinutes: 5, minAnswered: 3, radiusMeters: 2000 } });
    assert.equal((await post(`/v1/alerts/${cancelled.id}/cancel`, {})).statusCode, 200);
    const closed = await create({ escalation: { afterMinutes: 5, minAnswered: 3, radiusMeters: 2000 } });
    assert.equal(
      (await post(`/v1/alerts/${closed.id}/close`, { outcome: "found", message: "Terecht." })).statusCode,
      200,
    );
    // A call that does not ask "are you nearby now?" counts once answered (src/alerts/answered.ts); one that asks
    // counts only a "near" (test/presence).
    const answeredEnough = await create({
      channels: ["voice"],
      presenceCheck: false,
      escalation: { afterMinutes: 5, minAnswered: 3, radiusMeters: 2000 },
    });
    await eventually(
      async () =>
        (
          await s.db.query("SELECT count(*)::int AS n FROM deliveries WHERE alert_id = $1 AND status = 'answered'", [
            answeredEnough.id,
          ])
        ).rows[0].n >= 3,
      { what: "three calls answered" },
    );
    advance(6 * 60_000);
    await s.app.alerts.escalateDue();
    for (const a of [cancelled, closed, answeredEnough])
      assert.equal((await deliveries(a.id)).length, 5, `${a.id}: not widened`);
    const checked = (await s.db.query("SELECT targeting FROM alerts WHERE id = $1", [answeredEnough.id])).rows[0];
    assert.equal(checked.targeting.escalation.widened, false);
    assert.ok(checked.targeting.escalation.answered >= 3);
  });

  test("an escalation radius that does not reach past the area is refused at creation, nothing written", async () => {
    const count = async () => (await s.db.query("SELECT count(*)::int AS n FROM alerts")).rows[0].n;
    const before = await count();
    const res = await post("/v1/alerts", {
      kind: "vehicle",
      channels: ["sms"],
      area: circle(600),
      texts,
      escalation: { afterMinutes: 5, minAnswered: 3, radiusMeters: 500 },
    });
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(res.json().error.code, "BN_AREA_NOT_LARGER");
    assert.equal(res.json().error.details.path, "body/escalation/radiusMeters");
    assert.equal(await count(), before);
  });
});
