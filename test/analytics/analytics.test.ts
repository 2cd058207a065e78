import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { bearer, createTestDb, keysFor, startApp, type TestDb } from "../webhooks/harness.js";
import { MAX_ASKS } from "../../src/cost/collector.js";
import { seedAnalytics } from "./seed.js";

let db: TestDb;
let app: FastifyInstance;
let keys: Awaited<ReturnType<typeof keysFor>>;
let seeded: Awaited<ReturnType<typeof seedAnalytics>>;

before(async () => {
  db = await createTestDb();
  app = await startApp({ db, webhooks: { enabled: false } });
  keys = await keysFor(db);
  seeded = await seedAnalytics(db);
});
after(async () => {
  await app.close();
  await db.drop();
});

const get = (query: string, key = keys.admin, headers: Record<string, string> = {}) =>
  app.inject({ method: "GET", url: `/v1/analytics?${query}`, headers: { ...bearer(key), ...headers } });
const range = () => `from=${seeded.from.toISOString()}&to=${seeded.to.toISOString()}`;

const RE01 = {
  alerts: 1,
  targeted: 3,
  reached: 2,
  reachedPct: 66.7,
  calls: 2,
  answered: 1,
  answeredPct: 50,
  // B did not ask "are you nearby now?"; the carrier charged € 0.0463 + € 0.0791.
  eyesInArea: null,
  costEur: 0.13,
  costPerAlertEur: 0.13,
  costPerTipEur: 0.13,
  tips: 1,
  tipsPer1000Reached: 500,
  putThrough: 0,
  medianSecondsToFirstTip: 40,
  closed: 1,
  found: 0,
  foundPct: 0,
};
const RE05 = {
  alerts: 2,
  targeted: 14,
  reached: 5,
  reachedPct: 35.7,
  calls: 10,
  answered: 2,
  answeredPct: 20,
  // A's call and SMS answered near (C did not ask); € 0.25 (A) + € 0.09 (C) over 2 alerts and 3 tips.
  eyesInArea: 2,
  costEur: 0.34,
  costPerAlertEur: 0.17,
  costPerTipEur: 0.11,
  tips: 3,
  tipsPer1000Reached: 600,
  putThrough: 2,
  medianSecondsToFirstTip: 95,
  closed: 1,
  found: 1,
  foundPct: 100,
};
const TOTAL = {
  alerts: 3,
  targeted: 17,
  reached: 7,
  reachedPct: 41.2,
  calls: 12,
  answered: 3,
  answeredPct: 25,
  eyesInArea: 2,
  costEur: 0.47,
  costPerAlertEur: 0.16,
  costPerTipEur: 0.12,
  tips: 4,
  tipsPer1000Reached: 571.4,
  putThrough: 2,
  medianSecondsToFirstTip: 67.5,
  closed: 2,
  found: 1,
  foundPct: 50,
};

describe("GET /v1/analytics", () => {
  test("per unit: every figure with its known answer; alerts outside the range and drafts are not counted", async () => {
    const res = await get(`${range()}&groupBy=unit`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.groupBy, "unit");
    assert.deepEqual(body.groups, [
      { key: "RE01", drill: false, ...RE01 },
      { key: "RE05", drill: false, ...RE05 },
    ]);
    assert.deepEqual(body.totals, [{ drill: false, ...TOTAL }]);
  });

  test("the totals equal the sums of the alert reports", async () => {
    const reports = await Promise.all(
      [seeded.A, seeded.B, seeded.C].map(async (id) => {
        const r = await app.inject({ method: "GET", url: `/v1/alerts/${id}/report`, headers: bearer(keys.admin) });
        return r.json();
      }),
    );
    const sum = (f: (r: (typeof reports)[number]) => number) => reports.reduce((n, r) => n + f(r), 0);
    const [total] = (await get(range())).json().totals;
    assert.deepEqual(
      [total.targeted, total.reached, total.calls, total.answered, total.tips, total.putThrough, total.eyesInArea],
      [
        sum((r) => r.targeted),
        sum((r) => r.reached),
        sum((r) => r.calls.total),
        sum((r) => r.calls.answered),
        sum((r) => r.tips.total),
        sum((r) => r.putThrough),
        sum((r) => r.presence?.near ?? 0),
      ],
    );
    // Each report rounds its alert's cost to the cent (0.2508 → 0.25, 0.1254 → 0.13, 0.0926 → 0.09): the total
    // is the sum of what the reports show, one awaited price (A's voicemail) not counted.
    assert.deepEqual(
      reports.map((r) => r.cost.eur),
      [0.25, 0.13, 0.09],
    );
    assert.equal(total.costEur, Math.round(sum((r) => r.cost.eur) * 100) / 100);
    assert.equal(reports[0].cost.awaitingPrice, 1);
    const firstTips = reports.map((r) => r.timeToFirstTipSeconds).filter((s) => s !== null);
    assert.deepEqual(firstTips.sort(), [40, 95]);
    assert.equal(total.medianSecondsToFirstTip, (40 + 95) / 2);
  });

  test("an operator sees only their own unit, totals included", async () => {
    const body = (await get(range(), keys.operator)).json();
    assert.deepEqual(body.groups, [{ key: "RE05", drill: false, ...RE05 }]);
    assert.deepEqual(body.totals, [{ drill: false, ...RE05 }]);
    const other = (await get(range(), keys.otherRegion)).json();
    assert.deepEqual(other.groups, []);
    assert.deepEqual(other.totals, []);
  });

  test("per kind and per hour in Amsterdam time", async () => {
    const kinds = (await get(`${range()}&groupBy=kind`)).json().groups;
    assert.deepEqual(
      kinds.map((g: { key: string; alerts: number; targeted: number; tips: number }) => [
        g.key,
        g.alerts,
        g.targeted,
        g.tips,
      ]),
      [
        ["missing_child", 1, 12, 3],
        ["vehicle", 2, 5, 1],
      ],
    );
    const hours = (await get(`${range()}&groupBy=hour`)).json().groups;
    assert.deepEqual(
      hours.map((g: { key: string; alerts: number }) => [g.key, g.alerts]),
      [
        ["11", 1],
        ["12", 1],
        ["13", 1],
      ],
    );
  });

  test("per channel: deliveries by their channel, SMS tips to SMS, spoken tips and put-throughs to voice", async () => {
    const groups = (await get(`${range()}&groupBy=channel`)).json().groups;
    assert.deepEqual(groups, [
      {
        key: "sms",
        drill: false,
        alerts: 2,
        targeted: 5,
        reached: 3,
        reachedPct: 60,
        calls: 0,
        answered: 0,
        answeredPct: null,
        // A's SMS reply said near; A's SMS and closing SMS € 0.16, B's € 0.08.
        eyesInArea: 1,
        costEur: 0.24,
        costPerAlertEur: 0.12,
        costPerTipEur: 0.12,
        tips: 2,
        tipsPer1000Reached: 666.7,
        putThrough: 0,
        medianSecondsToFirstTip: 90,
        closed: 2,
        found: 1,
        foundPct: 50,
      },
      {
        key: "voice",
        drill: false,
        alerts: 3,
        targeted: 12,
        reached: 4,
        reachedPct: 33.3,
        calls: 12,
        answered: 3,
        answeredPct: 25,
        // A's answered call said near; calls € 0.09 (A) + € 0.05 (B) + € 0.09 (C).
        eyesInArea: 1,
        costEur: 0.23,
        costPerAlertEur: 0.08,
        costPerTipEur: 0.12,
        tips: 2,
        tipsPer1000Reached: 500,
        putThrough: 2,
        medianSecondsToFirstTip: 95,
        closed: 2,
        found: 1,
        foundPct: 50,
      },
    ]);
  });

  test("per language: tips and put-throughs without a delivery count as unknown", async () => {
    const groups = (await get(`${range()}&groupBy=language`)).json().groups;
    assert.deepEqual(
      groups.map(
        (g: {
          key: string;
          targeted: number;
          tips: number;
          putThrough: number;
          eyesInArea: number;
          costEur: number;
        }) => [g.key, g.targeted, g.tips, g.putThrough, g.eyesInArea, g.costEur],
      ),
      [
        // Prices go to the language of the delivery with their SID.
        ["nl", 17, 0, 0, 2, 0.47],
        ["unknown", 0, 4, 2, 0, null],
      ],
    );
  });

  test("CSV by ?format=csv or Accept: text/csv: a line per group, then the totals", async () => {
    for (const [query, headers] of [
      [`${range()}&format=csv`, {}],
      [range(), { accept: "text/csv" }],
    ] as const) {
      const res = await get(query, keys.admin, headers);
      assert.equal(res.statusCode, 200);
      assert.match(res.headers["content-type"] as string, /^text\/csv/);
      const lines = res.body.trim().split("\r\n");
      assert.equal(lines.length, 4);
      assert.match(lines[0], /^group,key,drill,alerts,targeted,reached,reachedPct,/);
      assert.equal(lines[1], "unit,RE01,false,1,3,2,66.7,2,1,50,,1,500,0,40,1,0,0,0.13,0.13,0.13");
      assert.equal(lines[3], "total,,false,3,17,7,41.2,12,3,25,2,4,571.4,2,67.5,2,1,50,0.47,0.16,0.12");
    }
  });

  test("drills are left out unless asked for, and then figured apart from live alerts", async () => {
    const body = (await get(`${range()}&drill=true`)).json();
    assert.equal(body.drill, true);
    const D = {
      alerts: 1,
      targeted: 2,
      reached: 2,
      reachedPct: 100,
      calls: 1,
      answered: 1,
      answeredPct: 100,
      eyesInArea: 1,
      costEur: 0.05,
      costPerAlertEur: 0.05,
      costPerTipEur: 0.05,
      tips: 1,
      tipsPer1000Reached: 500,
      putThrough: 0,
      medianSecondsToFirstTip: 30,
      closed: 1,
      found: 1,
      foundPct: 100,
    };
    assert.deepEqual(body.groups, [{ key: "RE05", drill: true, ...D }]);
    assert.deepEqual(body.totals, [{ drill: true, ...D }]);
    assert.equal((await get(`${range()}&drill=false`)).json().totals[0].alerts, 3, "A, B and C: live");
    const csv = (await get(`${range()}&drill=true&format=csv`)).body.trim().split("\r\n");
    assert.equal(csv[2], "total,,true,1,2,2,100,1,1,100,1,1,500,0,30,1,1,100,0.05,0.05,0.05");
  });

  test("bad ranges and groupings are 400 in the one error shape; no key is 401", async () => {
    const from = seeded.from.toISOString();
    for (const query of [
      `from=${from}&to=${from}`,
      `from=${from}&to=2030-01-01T00:00:00Z`,
      `from=${from}`,
      `from=yesterday&to=${from}`,
      `${range()}&groupBy=participant`,
      `${range()}&format=xml`,
      `${range()}&drill=maybe`,
    ]) {
      const res = await get(query);
      assert.equal(res.statusCode, 400, query);
      assert.equal(res.json().error.code, "BN_VALIDATION", query);
    }
    const anonymous = await app.inject({ method: "GET", url: `/v1/analytics?${range()}` });
    assert.equal(anonymous.statusCode, 401);
    assert.equal((await get(range(), keys.registration)).statusCode, 403);
  });

  test("alerts that ended over an hour ago are rolled up once, and answer exactly as when counted live", async () => {
    const live = await Promise.all(["unit", "channel", "language", "hour"].map((g) => get(`${range()}&groupBy=${g}`)));
    assert.equal((await db.query("SELECT 1 FROM alert_figures")).rowCount, 0, "nothing has ended yet");
    await db.query("UPDATE alerts SET closed_at = now() - interval '2 hours' WHERE id = ANY ($1::uuid[])", [
      [seeded.A, seeded.B],
    ]);
    for (const [i, g] of ["unit", "channel", "language", "hour"].entries())
      assert.deepEqual((await get(`${range()}&groupBy=${g}`)).json(), live[i].json(), g);
    const rolledIds = async () =>
      (await db.query("SELECT DISTINCT alert_id FROM alert_figures")).rows.map((r) => r.alert_id);
    assert.deepEqual(await rolledIds(), [seeded.B], "A waits for the carrier's price of its voicemail");
    // The collector asks at most MAX_ASKS times: after the last, A's figures are final too.
    await db.query("UPDATE carrier_prices SET asked = $2 WHERE alert_id = $1 AND price IS NULL", [seeded.A, MAX_ASKS]);
    for (const [i, g] of ["unit", "channel", "language", "hour"].entries())
      assert.deepEqual((await get(`${range()}&groupBy=${g}`)).json(), live[i].json(), g);
    const rolled = await db.query<{ alert_id: string; dimension: string; key: string }>(
      "SELECT alert_id, dimension, key FROM alert_figures ORDER BY 1, 2, 3",
    );
    const of = (id: string) => rolled.rows.filter((r) => r.alert_id === id).map((r) => `${r.dimension}:${r.key}`);
    assert.deepEqual(of(seeded.A), ["alert:all", "channel:sms", "channel:voice", "language:nl", "language:unknown"]);
    assert.deepEqual(of(seeded.C), [], "a live alert is counted from the tables each time");
    // Once rolled up, an alert is read from its row: a late change to its deliveries no longer moves the figures.
    await db.query("UPDATE deliveries SET status = 'answered' WHERE alert_id = $1 AND status = 'busy'", [seeded.A]);
    assert.deepEqual((await get(range())).json(), live[0].json());
  });
});
