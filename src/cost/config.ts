/** The cost settings of the environment (src/config.ts validates their form; this reads them). */
export interface CostConfig {
  /** Used when the carrier's Pricing API cannot be reached (or has no price for NL mobile, fixed or SMS). */
  fallback: { unit: string; voiceMobilePerMinute: number; voiceFixedPerMinute: number; smsPerSegment: number };
  /** Euros per unit of another currency (Twilio accounts are mostly billed in USD). */
  eurPer: Record<string, number>;
  /** Minutes an alert call is expected to last (the preview's basis: billed by the started minute). */
  callMinutes: number;
  /** How long the carrier's price table is kept before it is asked again. */
  cacheMs: number;
  /** Monthly budget in euros per police unit; `*` for units not named. None: no budget. */
  monthlyBudgetEur: Record<string, number>;
  /** Carrier price look-ups per second for the actual cost (REST requests outside the call and SMS pace). */
  lookupsPerSecond: number;
  /** How often final calls and SMS are priced; 0: never on its own. */
  collectIntervalMs: number;
}

export const COST_ENV = {
  PRICE_FALLBACK: {
    type: "string",
    pattern: "^voice_mobile=[0-9.]+,voice_fixed=[0-9.]+,sms=[0-9.]+,unit=[A-Z]{3}$",
    default: "voice_mobile=0.1400,voice_fixed=0.0400,sms=0.1000,unit=USD",
  },
  PRICE_EUR_PER_USD: { type: "number", exclusiveMinimum: 0, maximum: 100, default: 0.92 },
  EXPECTED_CALL_MINUTES: { type: "number", exclusiveMinimum: 0, maximum: 60, default: 1 },
  PRICE_CACHE_SECONDS: { type: "number", minimum: 0, maximum: 604800, default: 86400 },
  UNIT_MONTHLY_BUDGETS_EUR: {
    type: "string",
    pattern: "^(\\*|RE(0[1-9]|10))=[0-9]+(\\.[0-9]+)?(,(\\*|RE(0[1-9]|10))=[0-9]+(\\.[0-9]+)?)*$",
  },
  PRICE_LOOKUPS_PER_SECOND: { type: "number", exclusiveMinimum: 0, maximum: 100, default: 5 },
  PRICE_COLLECT_SECONDS: { type: "number", minimum: 0, maximum: 86400, default: 60 },
} as const;

const pairs = (s: string) => Object.fromEntries(s.split(",").map((kv) => kv.split("=") as [string, string]));

export function costConfig(e: Record<string, unknown>): CostConfig {
  const f = pairs(e.PRICE_FALLBACK as string);
  const budgets = e.UNIT_MONTHLY_BUDGETS_EUR ? pairs(e.UNIT_MONTHLY_BUDGETS_EUR as string) : {};
  return {
    fallback: {
      unit: f.unit,
      voiceMobilePerMinute: Number(f.voice_mobile),
      voiceFixedPerMinute: Number(f.voice_fixed),
      smsPerSegment: Number(f.sms),
    },
    eurPer: { USD: e.PRICE_EUR_PER_USD as number },
    callMinutes: e.EXPECTED_CALL_MINUTES as number,
    cacheMs: (e.PRICE_CACHE_SECONDS as number) * 1000,
    monthlyBudgetEur: Object.fromEntries(Object.entries(budgets).map(([k, v]) => [k, Number(v)])),
    lookupsPerSecond: e.PRICE_LOOKUPS_PER_SECOND as number,
    collectIntervalMs: (e.PRICE_COLLECT_SECONDS as number) * 1000,
  };
}
