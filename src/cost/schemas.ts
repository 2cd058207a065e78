/** The preview's cost and budget figures, for the document (the preview's answer keeps every field it has). */
const money = { type: "number", description: "Euros, to the cent" } as const;
const int = { type: "integer" } as const;

export const expectedCostSchema = {
  type: ["object", "null"],
  description:
    "Expected cost in euros (an upper bound), by part, with the prices used and the basis in words; null when the " +
    "carrier bills in a currency with no configured rate",
  properties: {
    eur: money,
    calls: { type: "object", properties: { mobile: int, fixed: int, minutes: int, eur: money } },
    sms: {
      type: "object",
      properties: {
        messages: int,
        segments: int,
        eur: money,
        byLanguage: {
          type: "object",
          additionalProperties: { type: "object", properties: { messages: int, segments: int, eur: money } },
        },
      },
    },
    closing: { type: "object", properties: { sms: int, calls: int, eur: money } },
    prices: {
      type: "object",
      properties: {
        unit: { type: "string" },
        voiceMobilePerMinute: { type: "number" },
        voiceFixedPerMinute: { type: "number" },
        smsPerSegment: { type: "number" },
        source: { enum: ["carrier", "fallback"] },
        fetchedAt: { type: ["string", "null"] },
        eurPerUnit: { type: "number" },
      },
    },
    basis: { type: "string" },
  },
} as const;

export const budgetSchema = {
  type: ["object", "null"],
  description:
    "The police unit's monthly budget (UNIT_MONTHLY_BUDGETS_EUR; null when none): spent this month by the carrier's " +
    "prices, this alert's expected cost, and whether creating it needs an admin key",
  properties: {
    monthlyEur: money,
    spentEur: money,
    thisAlertEur: money,
    remainingEur: money,
    wouldExceed: { type: "boolean" },
    needsAdminKey: { type: "boolean" },
  },
} as const;

export const EXPECTED_COST_EXAMPLE = {
  eur: 271.41,
  calls: { mobile: 1420, fixed: 230, minutes: 1, eur: 158.74 },
  sms: {
    messages: 1210,
    segments: 1210,
    eur: 110.2,
    byLanguage: { nl: { messages: 1210, segments: 1210, eur: 110.2 } },
  },
  closing: { sms: 1, calls: 0, eur: 0.09 },
  prices: {
    unit: "USD",
    voiceMobilePerMinute: 0.116,
    voiceFixedPerMinute: 0.034,
    smsPerSegment: 0.099,
    source: "carrier",
    fetchedAt: "2026-12-01T19:00:00.000Z",
    eurPerUnit: 0.92,
  },
  basis:
    "An upper bound: every call answered and billed 1 started minute(s) at the price per minute to Dutch mobile or " +
    "fixed numbers; every SMS with the segments shown, per segment; everyone targeted reached and sent the closing " +
    "message (1 SMS segment to a mobile number, a call to a fixed one). Prices: the carrier's Pricing API, read " +
    "2026-12-01T19:00:00.000Z, in USD, converted at 0.92 EUR per USD.",
};

export const BUDGET_EXAMPLE = {
  monthlyEur: 2000,
  spentEur: 1840.5,
  thisAlertEur: 271.41,
  remainingEur: 159.5,
  wouldExceed: true,
  needsAdminKey: true,
};

export const ACTUAL_COST_EXAMPLE = {
  eur: 118.32,
  calls: { priced: 1650, eur: 79.1 },
  sms: { priced: 1210, eur: 36.5 },
  closing: { priced: 30, eur: 2.72 },
  awaitingPrice: 4,
  carrierAmounts: [{ unit: "USD", amount: 128.6087 }],
};
