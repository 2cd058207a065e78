import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eventually } from "../helpers/eventually.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";
import { bearer, startStack, type Stack } from "../helpers/stack.js";

/**
 * Known answers from the emulator's price list (src/sim/pricing.ts, USD): calls to mobile 0.116 and fixed 0.034 per
 * started minute, SMS 0.099 per segment; PRICE_EUR_PER_USD 0.92 (the default); one expected minute per call.
 */
let s: Stack;
const A = mobile(3001); // voice, answers and listens 70 s: 2 minutes
const B = mobile(3002); // voice, busy: nothing charged
const C = "+31201230001"; // a fixed line, voice, answers for 30 s: 1 minute
const D = mobile(3003); // SMS, Dutch: 1 segment
const E = mobile(3004); // SMS, English: 2 segments

before(async () => {
  s = await startStack({
    env: { PRICE_COLLECT_SECONDS: "0", UNIT_MONTHLY_BUDGETS_EUR: "RE05=0.50,*=1000" },
    dispatch: { retry: { maxAttempts: 1, delaysMs: [] } },
  });
  await seedParticipants(s.db, [
    { phone: A, ...dam, channels: ["voice"] },
    { phone: B, ...offset(dam, 50), channels: ["voice"] },
    { phone: C, ...offset(dam, 100), channels: ["voice"] },
    { phone: D, ...offset(dam, 150), channels: ["sms"] },
    { phone: E, ...offset(dam, 200), channels: ["sms"], language: "en" },
  ]);
  s.emulator.setPersona(A, { answer: "human", hangupAfterSeconds: 70 });
  s.emulator.setPersona(B, { answer: "busy" });
  s.emulator.setPersona(C, { answer: "human", hangupAfterSeconds: 30, landline: true });
});
after(() => s.close());

const alert = (region?: string) => ({
  kind: "suspect",
  channels: ["voice", "sms"],
  ...(region ? { region } : {}),
  texts: {
    nl: { voice: "Gezocht: een man met een rode jas.", sms: "Gezocht: man, rode jas." },
    en: { voice: "Wanted: a man in a red coat.", sms: `Wanted: a man in a red coat. ${"Call 0900-8844. ".repeat(10)}` },
  },
  area: { type: "circle", center: dam, radiusMeters: 1000 },
});

const post = (url: string, payload: object, key = s.keys.operator) =>
  s.app.inject({ method: "POST", url, headers: bearer(key), payload });

describe("cost before and after", () => {
  test("the preview states the expected cost in euros, its parts and its basis, from the carrier's prices", async () => {
    const res = await post("/v1/alerts/preview", alert());
    assert.equal(res.statusCode, 200, res.body);
    const { cost } = res.json();
    assert.deepEqual(cost.calls, { mobile: 2, fixed: 1, minutes: 1, eur: 0.24 }); // 0.266 USD
    assert.deepEqual(cost.sms.byLanguage, {
      nl: { messages: 1, segments: 1, eur: 0.09 },
      en: { messages: 1, segments: 2, eur: 0.18 },
    });
    assert.equal(cost.sms.eur, 0.27); // 3 × 0.099 USD
    assert.deepEqual(cost.closing, { sms: 4, calls: 1, eur: 0.4 }); // 4 × 0.099 + 0.034 USD
    assert.equal(cost.eur, 0.91); // 0.993 USD × 0.92
    assert.equal(cost.prices.source, "carrier");
    assert.equal(cost.prices.unit, "USD");
    assert.equal(cost.prices.voiceMobilePerMinute, 0.116);
    assert.match(cost.basis, /upper bound/);
    assert.match(cost.basis, /0\.92 EUR per USD/);
  });

  test("an alert that would cross the unit's monthly budget: the preview says so; creating it needs an admin key", async () => {
    const preview = (await post("/v1/alerts/preview", alert())).json();
    assert.deepEqual(preview.budget, {
      monthlyEur: 0.5,
      spentEur: 0,
      thisAlertEur: 0.91,
      remainingEur: 0.5,
      wouldExceed: true,
      needsAdminKey: true,
    });
    const refused = await post("/v1/alerts", alert());
    assert.equal(refused.statusCode, 403, refused.body);
    assert.equal(refused.json().error.code, "BN_BUDGET_EXCEEDED");
    assert.equal(refused.json().error.details.thisAlertEur, 0.91);
    assert.equal((await s.db.query("SELECT count(*)::int AS n FROM alerts")).rows[0].n, 0, "nothing written");
    assert.equal((await post("/v1/alerts/preview", alert("RE05"), s.keys.admin)).json().budget.needsAdminKey, false);

    // A draft costs nothing yet; dispatching it is held to the budget the same way.
    const draft = await post("/v1/alerts", { ...alert(), dispatch: false });
    assert.equal(draft.statusCode, 201, draft.body);
    const dispatched = await post(`/v1/alerts/${draft.json().id}/dispatch`, {});
    assert.equal(dispatched.statusCode, 403, dispatched.body);
    assert.equal(dispatched.json().error.code, "BN_BUDGET_EXCEEDED");
    const rows = await s.db.query("SELECT status, (SELECT count(*)::int FROM deliveries) AS n FROM alerts");
    assert.deepEqual(rows.rows, [{ status: "draft", n: 0 }], "still a draft, nobody targeted");
  });

  test("after the alert: the carrier's price of each call and SMS, summed in the report and the GET", async () => {
    const created = await post("/v1/alerts", alert("RE05"), s.keys.admin);
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id;
    await eventually(
      async () => {
        const r = (await s.app.inject({ url: `/v1/alerts/${id}/report`, headers: bearer(s.keys.operator) })).json();
        return r.inProgress === 0 && r.targeted === 5 && r.calls.total + r.sms.total === 5;
      },
      { what: "every call and SMS final" },
    );
    const pass = await s.app.priceCollector.run();
    assert.deepEqual(pass, { recorded: 5, priced: 5 });
    const report = (await s.app.inject({ url: `/v1/alerts/${id}/report`, headers: bearer(s.keys.operator) })).json();
    assert.deepEqual(report.cost, {
      eur: 0.52, // (2 × 0.116 + 0 + 0.034 + 3 × 0.099) USD × 0.92 = 0.51796
      calls: { priced: 3, eur: 0.24 },
      sms: { priced: 2, eur: 0.27 },
      closing: { priced: 0, eur: 0 },
      awaitingPrice: 0,
      carrierAmounts: [{ unit: "USD", amount: 0.563 }],
    });
    const got = (await s.app.inject({ url: `/v1/alerts/${id}`, headers: bearer(s.keys.operator) })).json();
    assert.deepEqual(got.cost, report.cost);
    assert.deepEqual(await s.app.priceCollector.run(), { recorded: 0, priced: 0 }, "each price is read once");
    const other = await s.app.inject({ url: `/v1/alerts/${id}/report`, headers: bearer(s.keys.otherRegion) });
    assert.equal(other.statusCode, 404, "another unit's alert");

    // The month's spending counts against the budget of the next alert.
    const budget = (await post("/v1/alerts/preview", alert())).json().budget;
    assert.equal(budget.spentEur, 0.52);
    assert.equal(budget.remainingEur, -0.02);
  });
});
