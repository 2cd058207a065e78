import assert from "node:assert/strict";
import { describe, test } from "node:test";
import pino from "pino";
import { costConfig } from "../../src/cost/config.js";
import { expectedCost } from "../../src/cost/estimate.js";
import { chargedAmount, euros, tableFromTwilio, toEur } from "../../src/cost/prices.js";
import { createPricing } from "../../src/cost/pricing.js";

const at = new Date("2026-12-07T10:00:00Z");
const config = costConfig({
  PRICE_FALLBACK: "voice_mobile=0.2000,voice_fixed=0.0500,sms=0.0800,unit=EUR",
  PRICE_EUR_PER_USD: 0.9,
  EXPECTED_CALL_MINUTES: 1.5,
  PRICE_CACHE_SECONDS: 3600,
  PRICE_LOOKUPS_PER_SECOND: 5,
  PRICE_COLLECT_SECONDS: 60,
});

// The shapes Twilio's Pricing API v1 answers with (prices as decimal strings, price_unit lower or upper case).
const voice = {
  iso_country: "NL",
  price_unit: "usd",
  outbound_prefix_prices: [
    { prefixes: ["3161", "3162"], friendly_name: "Netherlands - Mobile - KPN", current_price: "0.1100" },
    { prefixes: ["3165"], friendly_name: "Netherlands - Mobile - Other", current_price: "0.1300" },
    { prefixes: ["31"], friendly_name: "Netherlands", current_price: "0.0300" },
    { prefixes: ["3120"], friendly_name: "Netherlands - Amsterdam", current_price: "0.0250" },
  ],
};
const messaging = {
  iso_country: "NL",
  price_unit: "USD",
  outbound_sms_prices: [
    { carrier: "KPN", prices: [{ number_type: "mobile", current_price: "0.0950" }] },
    {
      carrier: "Other",
      prices: [
        { number_type: "mobile", current_price: "0.1050" },
        { number_type: "local", current_price: "1" },
      ],
    },
  ],
};

describe("carrier prices", () => {
  test("Twilio's country resources become one table: the dearest mobile, fixed and SMS price", () => {
    assert.deepEqual(tableFromTwilio(voice, messaging, at), {
      unit: "USD",
      voiceMobilePerMinute: 0.13,
      voiceFixedPerMinute: 0.03,
      smsPerSegment: 0.105,
      source: "carrier",
      fetchedAt: at.toISOString(),
    });
    assert.equal(tableFromTwilio({ ...voice, outbound_prefix_prices: [] }, messaging, at), null);
    assert.equal(tableFromTwilio(voice, { ...messaging, price_unit: "EUR" }, at), null, "one unit for both");
  });

  test("a call's price as Twilio gives it is the amount charged; units convert at the configured rate", () => {
    assert.equal(chargedAmount("-0.0075"), 0.0075);
    assert.equal(chargedAmount("0"), 0);
    assert.equal(chargedAmount(null), null);
    assert.equal(chargedAmount("n/a"), null);
    assert.equal(toEur(2, "EUR", config.eurPer), 2);
    assert.equal(toEur(2, "usd", config.eurPer), 1.8);
    assert.equal(toEur(2, "GBP", config.eurPer), null);
  });

  test("the carrier unreachable: the configured fallback table, not asked again for a while", async () => {
    let now = at;
    let asked = 0;
    const original = globalThis.fetch;
    globalThis.fetch = (async () => {
      asked++;
      throw new Error("connect ECONNREFUSED");
    }) as typeof fetch;
    try {
      const pricing = createPricing({
        config,
        twilio: { accountSid: "AC" + "0".repeat(32), authToken: "x".repeat(32), apiUrl: "http://127.0.0.1:9" },
        clock: () => now,
        log: pino({ level: "silent" }),
      });
      const table = await pricing.table();
      assert.deepEqual(table, { ...config.fallback, source: "fallback", fetchedAt: null });
      await pricing.table();
      assert.equal(asked, 2, "both resources asked once");
      now = new Date(at.getTime() + 5 * 60_000);
      await pricing.table();
      assert.equal(asked, 4, "asked again after five minutes");
    } finally {
      globalThis.fetch = original;
    }
  });

  test("an estimate in euros says its basis: 1.5 minutes billed as 2, no conversion for EUR", () => {
    const cost = expectedCost(
      {
        voiceMobile: 10,
        voiceFixed: 2,
        sms: [{ language: "nl", messages: 5, segments: 3 }],
        closingSms: 15,
        closingCalls: 2,
      },
      { ...config.fallback, source: "fallback", fetchedAt: null },
      config,
    )!;
    assert.equal(cost.calls.eur, 4.2); // (10 × 0.20 + 2 × 0.05) × 2
    assert.equal(cost.sms.eur, 1.2); // 15 segments × 0.08
    assert.equal(cost.closing.eur, 1.4); // 15 × 0.08 + 2 × 0.05 × 2
    assert.equal(cost.eur, 6.8);
    assert.match(cost.basis, /configured fallback table/);
    assert.doesNotMatch(cost.basis, /converted/);
  });
});

describe("carrier prices, edge by edge (the rules under mutation testing)", () => {
  const table = (voicePrices: object[], smsPrices: object[] = messaging.outbound_sms_prices, unit = "USD") =>
    tableFromTwilio(
      { price_unit: unit, outbound_prefix_prices: voicePrices as never },
      { price_unit: unit, outbound_sms_prices: smsPrices as never },
      at,
    );
  const fixed = { prefixes: ["31"], friendly_name: "Netherlands", current_price: "0.0300" };

  test("mobile is a name with 'Mobile' or any +316 prefix; the rest is fixed; unreadable prices are left out", () => {
    const byName = table([{ prefixes: ["31970"], friendly_name: "Netherlands - mobile", current_price: 0.2 }, fixed]);
    assert.equal(byName?.voiceMobilePerMinute, 0.2, "a number is read too");
    const byPrefix = table([
      { prefixes: ["3120", "3161"], friendly_name: "Netherlands", current_price: "0.15" },
      fixed,
    ]);
    assert.equal(byPrefix?.voiceMobilePerMinute, 0.15);
    assert.equal(byPrefix?.voiceFixedPerMinute, 0.03);
    const unnamed = table([
      { prefixes: ["44316"], current_price: "0.5" },
      { prefixes: ["316"], current_price: "0.1" },
    ]);
    assert.equal(unnamed?.voiceMobilePerMinute, 0.1);
    assert.equal(unnamed?.voiceFixedPerMinute, 0.5, "+44316 is not a Dutch mobile prefix");
    const noName = table([{ friendly_name: "Mobile", current_price: "0.12" }, { current_price: "0.02" }]);
    assert.equal(noName?.voiceMobilePerMinute, 0.12);
    assert.equal(noName?.voiceFixedPerMinute, 0.02);
    const unreadable = table([
      { prefixes: ["316"], current_price: "n/a" },
      { prefixes: ["316"], current_price: "12.5" },
      fixed,
    ]);
    assert.equal(unreadable?.voiceMobilePerMinute, 12.5);
  });

  test("no table without a mobile, a fixed or an SMS price, or without a three-letter unit", () => {
    const mobileOnly = [{ prefixes: ["316"], current_price: "0.1" }];
    assert.equal(table(mobileOnly), null, "no fixed price");
    assert.equal(table([fixed]), null, "no mobile price");
    assert.equal(table([...mobileOnly, fixed], []), null, "no SMS price");
    assert.equal(table([...mobileOnly, fixed], [{ prices: [{ number_type: "local", current_price: "1" }] }]), null);
    assert.equal(table([...mobileOnly, fixed], undefined, "US"), null);
    assert.equal(table([...mobileOnly, fixed], undefined, "USDT"), null);
    assert.equal(table([...mobileOnly, fixed], undefined, "usd")?.unit, "USD");
  });

  test("a price is a decimal string or a number, nothing around it", () => {
    assert.equal(chargedAmount(0.5), 0.5);
    assert.equal(chargedAmount("12.5"), 12.5);
    assert.equal(chargedAmount(undefined), null);
    assert.equal(chargedAmount("x-0.1"), null);
    assert.equal(chargedAmount("-0.1x"), null);
    assert.equal(chargedAmount(""), null);
    assert.equal(euros(0.005), 0.01);
    assert.equal(euros(1.234), 1.23);
    assert.equal(euros(2.675), 2.68);
  });

  test("an estimate in USD: every part converted at the rate, per language, with the prices it used", () => {
    const usd = { ...config, eurPer: { USD: 0.5 }, callMinutes: 1 };
    const prices = { unit: "USD", voiceMobilePerMinute: 0.2, voiceFixedPerMinute: 0.1, smsPerSegment: 0.1 };
    const cost = expectedCost(
      {
        voiceMobile: 10,
        voiceFixed: 4,
        sms: [
          { language: "nl", messages: 6, segments: 2 },
          { language: "en", messages: 4, segments: 3 },
        ],
        closingSms: 20,
        closingCalls: 4,
      },
      { ...prices, source: "carrier", fetchedAt: at.toISOString() },
      usd,
    )!;
    assert.deepEqual(
      { ...cost, basis: undefined },
      {
        eur: 3.6, // (2.4 + 2.4 + 2.4) USD × 0.5
        calls: { mobile: 10, fixed: 4, minutes: 1, eur: 1.2 },
        sms: {
          messages: 10,
          segments: 24,
          eur: 1.2,
          byLanguage: { nl: { messages: 6, segments: 12, eur: 0.6 }, en: { messages: 4, segments: 12, eur: 0.6 } },
        },
        closing: { sms: 20, calls: 4, eur: 1.2 },
        prices: { ...prices, source: "carrier", fetchedAt: at.toISOString(), eurPerUnit: 0.5 },
        basis: undefined,
      },
    );
    assert.match(
      cost.basis,
      /the carrier's Pricing API, read 2026-12-07T10:00:00.000Z, in USD, converted at 0.5 EUR per USD\.$/,
    );
    assert.equal(
      expectedCost(cost.calls as never, { ...prices, unit: "GBP", source: "fallback", fetchedAt: null }, usd),
      null,
    );
  });
});
