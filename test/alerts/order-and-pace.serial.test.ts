import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { maxInWindow } from "../../src/sim/pacer.js";
import { eventually } from "../helpers/eventually.js";
import { bearer, startStack, type Stack } from "../helpers/stack.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";

const CPS = 20;
const MPS = 20;
let s: Stack;
before(async () => {
  s = await startStack({ env: { DISPATCH_CPS: String(CPS), SMS_MPS: String(MPS) } });
});
after(() => s.close());

const rotterdam = { lat: 51.9225, lon: 4.4792 };
const texts = { nl: { voice: "Let op: een grijze auto.", sms: "Let op: grijze auto." } };

async function createAlert(key: string, center: { lat: number; lon: number }, channels: string[], radius = 2500) {
  const res = await s.app.inject({
    method: "POST",
    url: "/v1/alerts",
    headers: bearer(key),
    payload: { kind: "vehicle", channels, texts, area: { type: "circle", center, radiusMeters: radius } },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: string; targeting: { voice: number; sms: number } };
}

function submittedAll(alertId: string) {
  return eventually(
    async () => {
      const sql = "SELECT count(*) AS n FROM deliveries WHERE alert_id = $1 AND provider_sid IS NULL";
      return (await s.db.query(sql, [alertId])).rows[0].n === 0;
    },
    { timeoutMs: 60_000, what: "every delivery at the carrier" },
  );
}

async function nearestFirstAlert(first: number, centre: { lat: number; lon: number }) {
  // Seeded in a shuffled order (7 and 30 are coprime), so the order of the rows says nothing about the distance.
  const distances = Array.from({ length: 30 }, (_, i) => 50 + ((i * 7) % 30) * 30);
  const phones = distances.map((_, i) => mobile(first + i));
  await seedParticipants(
    s.db,
    distances.map((d, i) => ({ phone: phones[i], ...offset(centre, d), channels: ["voice"] })),
  );
  const alert = await createAlert(s.keys.operator, centre, ["voice"], 1000);
  assert.equal(alert.targeting.voice, 30);
  await submittedAll(alert.id);
  const nearestFirst = phones.map((p, i) => ({ p, d: distances[i] })).sort((a, b) => a.d - b.d);
  return { alert, phones, nearestFirst: nearestFirst.map((x) => x.p) };
}

test("deliveries are ranked nearest first, and the nearest go out first", async () => {
  const { alert, phones, nearestFirst } = await nearestFirstAlert(70_000, offset(dam, -3000, 0));
  const ranked = await s.db.query<{ phone: string }>("SELECT phone FROM deliveries WHERE alert_id = $1 ORDER BY rank", [
    alert.id,
  ]);
  assert.deepEqual(
    ranked.rows.map((r) => r.phone),
    nearestFirst,
  );
  // The carrier's order is nearest first only by and large today (see the todo below): the first ten calls are
  // still clearly nearer than the last ten.
  const rankOf = new Map(nearestFirst.map((p, i) => [p, i + 1]));
  const started = s.emulator
    .calls()
    .filter((c) => phones.includes(c.to))
    .map((c) => rankOf.get(c.to)!);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const [first, last] = [mean(started.slice(0, 10)), mean(started.slice(-10))];
  assert.ok(first < last, `mean rank of the first ten calls ${first}, of the last ten ${last}`);
});

test("calls start at the carrier nearest first", async () => {
  // Before the slot line (src/dispatch/slot-line.ts), a request that missed its slot took a new one behind
  // everything reserved: on the shared 2-core machine rank 2 of 30 started 22nd.
  const { phones, nearestFirst } = await nearestFirstAlert(70_100, offset(dam, 2000, -3000));
  const called = s.emulator
    .calls()
    .filter((c) => phones.includes(c.to))
    .map((c) => c.to);
  assert.deepEqual(called, nearestFirst);
});

test(`SMS never go out faster than SMS_MPS (${MPS}) in any second`, async () => {
  const centre = offset(dam, -2000, -4000);
  const phones = Array.from({ length: 3 * MPS }, (_, i) => mobile(71_000 + i));
  await seedParticipants(
    s.db,
    phones.map((phone, i) => ({ phone, ...offset(centre, (i % 10) * 50, Math.floor(i / 10) * 50), channels: ["sms"] })),
  );
  const alert = await createAlert(s.keys.operator, centre, ["sms"], 1000);
  assert.equal(alert.targeting.sms, phones.length);
  await submittedAll(alert.id);
  const starts = s.emulator
    .messages()
    .filter((m) => m.direction === "outbound-api" && phones.includes(m.to))
    .map((m) => m.createdAt)
    .sort((a, b) => a - b);
  assert.equal(starts.length, phones.length);
  // As for calls (crash-and-scale-out): windows 30 ms short of a second absorb the scheduling jitter of two shared
  // cores and still catch a pace that is off (unpaced, all 60 leave within a few hundred ms).
  const max = maxInWindow(starts, 1000 - 30);
  assert.ok(max <= MPS, `at most ${MPS} SMS started in any second (saw ${max})`);
});

test("two normal alerts of two police units share the pace: each gets about half while both have work", async () => {
  const grid = (i: number) => [(i % 10) * 60, Math.floor(i / 10) * 60] as const;
  const amsterdamPhones = Array.from({ length: 80 }, (_, i) => mobile(72_000 + i));
  const rotterdamPhones = Array.from({ length: 80 }, (_, i) => mobile(73_000 + i));
  await seedParticipants(s.db, [
    ...amsterdamPhones.map((phone, i) => ({
      phone,
      ...offset(offset(dam, 0, -6000), ...grid(i)),
      channels: ["voice"],
    })),
    ...rotterdamPhones.map((phone, i) => ({ phone, ...offset(rotterdam, ...grid(i)), channels: ["voice"] })),
  ]);
  const a = await createAlert(s.keys.operator, offset(dam, 0, -6000), ["voice"], 1200);
  const b = await createAlert(s.keys.otherRegion, rotterdam, ["voice"], 1200);
  const bothLiveFrom = Date.now();
  assert.deepEqual([a.targeting.voice, b.targeting.voice], [80, 80]);
  await submittedAll(a.id);
  await submittedAll(b.id);

  const calls = s.emulator.calls();
  const ofA = calls.filter((c) => amsterdamPhones.includes(c.to));
  const ofB = calls.filter((c) => rotterdamPhones.includes(c.to));
  // While both have work: from the second alert's creation to the last call of whichever finished first.
  const until = Math.min(ofA.at(-1)!.createdAt, ofB.at(-1)!.createdAt);
  const inWindow = (list: typeof calls) => list.filter((c) => c.createdAt >= bothLiveFrom && c.createdAt <= until);
  const [nA, nB] = [inWindow(ofA).length, inWindow(ofB).length];
  assert.ok(nA + nB >= 40, `both had work for a while (${nA} + ${nB} starts)`);
  const shareA = nA / (nA + nB);
  assert.ok(Math.abs(shareA - 0.5) <= 0.1, `Amsterdam ${nA}, Rotterdam ${nB} starts while both had work`);
});
