import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createApiKey } from "../../src/access/keys.js";
import { eventually } from "../helpers/eventually.js";
import { bearer, startStack, type Stack } from "../helpers/stack.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";

// Issue 16: the carrier's CPS is shared per police unit, not per alert: a unit with two alerts running gets no
// more than a unit with one. 30 CPS keeps the stack light on two shared cores; 10 s is ~294 starts.
const CPS = 30;
let s: Stack;
before(async () => {
  s = await startStack({ env: { DISPATCH_CPS: String(CPS) } });
});
after(() => s.close());

const texts = { nl: { voice: "Let op: een grijze auto.", sms: "Let op: grijze auto." } };
/** A town centre inside each police unit (src/geo/data/regionale_eenheid_2025.geojson). */
const centres = {
  RE05: dam,
  RE07: { lat: 51.9225, lon: 4.4792 }, // Rotterdam
  RE03: { lat: 52.0907, lon: 5.1214 }, // Utrecht
  RE09: { lat: 51.4416, lon: 5.4697 }, // Eindhoven
  RE01: { lat: 53.2194, lon: 6.5665 }, // Groningen
};
type Unit = keyof typeof centres;

/**
 * `n` voice participants on a 50 m grid north-east of `centre`, and a normal alert over them by an operator of
 * `unit`.
 */
async function alertOf(unit: Unit, centre: { lat: number; lon: number }, firstPhone: number, n: number) {
  const phones = Array.from({ length: n }, (_, i) => mobile(firstPhone + i));
  await seedParticipants(
    s.db,
    phones.map((phone, i) => ({
      phone,
      ...offset(centre, (i % 10) * 50, Math.floor(i / 10) * 50),
      channels: ["voice"],
    })),
  );
  const { key } = await createApiKey(s.db, { role: "operator", region: unit });
  return { unit, phones, key, centre };
}

async function dispatchAll(alerts: Awaited<ReturnType<typeof alertOf>>[]) {
  const ids: string[] = [];
  for (const a of alerts) {
    const res = await s.app.inject({
      method: "POST",
      url: "/v1/alerts",
      headers: bearer(a.key),
      payload: {
        kind: "vehicle",
        channels: ["voice"],
        texts,
        area: { type: "circle", center: a.centre, radiusMeters: 700 },
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().targeting.voice, a.phones.length);
    ids.push(res.json().id);
  }
  await eventually(
    async () => {
      const sql = "SELECT count(*)::int AS n FROM deliveries WHERE alert_id = ANY ($1) AND provider_sid IS NULL";
      return (await s.db.query(sql, [ids])).rows[0].n === 0;
    },
    { timeoutMs: 90_000, what: "every delivery at the carrier" },
  );
  const unitOf = new Map(alerts.flatMap((a) => a.phones.map((p) => [p, a.unit] as const)));
  const starts = s.emulator
    .calls()
    .filter((c) => unitOf.has(c.to))
    .map((c) => ({ at: c.createdAt, unit: unitOf.get(c.to)! }))
    .sort((x, y) => x.at - y.at);
  // While every unit has work: from the first start of the unit that started last (what was held before its alert
  // existed, up to the dispatcher's 300 ms lookahead, goes out first) to the last start of the first to finish.
  const units = [...new Set(alerts.map((a) => a.unit))];
  const ofUnit = (u: Unit) => starts.filter((x) => x.unit === u);
  const from = Math.max(...units.map((u) => ofUnit(u)[0].at));
  const until = Math.min(...units.map((u) => ofUnit(u).at(-1)!.at));
  return { units, starts: starts.filter((x) => x.at >= from && x.at <= until), from, until };
}

const shares = (starts: { unit: Unit }[], units: Unit[]) =>
  Object.fromEntries(units.map((u) => [u, starts.filter((x) => x.unit === u).length / starts.length]));

test("two police units, one with two alerts: each unit gets half the starts while both have work", async (t) => {
  const alerts = [
    await alertOf("RE05", dam, 80_000, 100),
    await alertOf("RE05", offset(dam, 0, -6000), 80_100, 100),
    await alertOf("RE07", centres.RE07, 80_200, 100),
  ];
  const { units, starts } = await dispatchAll(alerts);
  // ~200 starts, ~7 s at this CPS: the whole time both have work is the window.
  assert.ok(starts.length >= 150, `both had work for a while (${starts.length} starts)`);
  const share = shares(starts, units);
  t.diagnostic(`shares over ${starts.length} starts: ${JSON.stringify(share)}`);
  for (const u of units) assert.ok(Math.abs(share[u] - 0.5) <= 0.05, `shares ${JSON.stringify(share)}`);
});

test("five police units at once on one CPS budget: each within ±10 % of a fifth over any 10 s window", async (t) => {
  const alerts = [
    // Away from the first test's areas (1.5 km north-east of each centre): none of its participants again.
    await alertOf("RE05", offset(dam, 1500, 1500), 81_000, 75),
    await alertOf("RE05", offset(dam, 1500, -4500), 81_100, 75),
    await alertOf("RE07", offset(centres.RE07, 1500, 1500), 81_200, 75),
    await alertOf("RE03", offset(centres.RE03, 1500, 1500), 81_300, 75),
    await alertOf("RE09", offset(centres.RE09, 1500, 1500), 81_400, 75),
    await alertOf("RE01", offset(centres.RE01, 1500, 1500), 81_500, 75),
  ];
  const { units, starts, from, until } = await dispatchAll(alerts);
  assert.equal(units.length, 5);
  assert.ok(until - from >= 10_000, `all five had work for ${until - from} ms`);
  let worst = { at: 0, share: {} as Record<string, number> };
  let worstOff = 0;
  for (const first of starts) {
    if (first.at > until - 10_000) break;
    const window = starts.filter((x) => x.at >= first.at && x.at < first.at + 10_000);
    const share = shares(window, units);
    const off = Math.max(...units.map((u) => Math.abs(share[u] - 0.2) / 0.2));
    if (off > worstOff) [worstOff, worst] = [off, { at: first.at - from, share }];
  }
  t.diagnostic(`worst 10 s window ${(worstOff * 100).toFixed(1)} % off fair: ${JSON.stringify(worst.share)}`);
  assert.ok(worstOff <= 0.1, `worst window at +${worst.at} ms: ${JSON.stringify(worst.share)}`);
});
