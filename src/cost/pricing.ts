import type { FastifyBaseLogger } from "fastify";
import type { CostConfig } from "./config.js";
import { tableFromTwilio, type MessagingCountry, type PriceTable, type VoiceCountry } from "./prices.js";

export interface PricingDeps {
  config: CostConfig;
  /** The carrier account; its Pricing API is pricing.twilio.com, or the emulator at TWILIO_API_URL. */
  twilio: { accountSid: string; authToken: string; apiUrl?: string };
  clock: () => Date;
  log: FastifyBaseLogger;
  timeoutMs?: number;
}

/** Asked again this soon when the carrier could not be reached (the fallback is used meanwhile). */
const RETRY_AFTER_FAILURE_MS = 5 * 60_000;

/**
 * Twilio's prices for Dutch numbers (GET /v1/Voice/Countries/NL and /v1/Messaging/Countries/NL), read once per
 * PRICE_CACHE_SECONDS and shared by every preview; the configured fallback table while they cannot be read.
 */
export function createPricing(deps: PricingDeps) {
  const { config, twilio, clock, log } = deps;
  const base = (twilio.apiUrl ?? "https://pricing.twilio.com").replace(/\/+$/, "");
  const auth = `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString("base64")}`;
  const fallback: PriceTable = { ...config.fallback, source: "fallback", fetchedAt: null };
  let cached: { table: PriceTable; until: number } | null = null;
  let loading: Promise<PriceTable> | null = null;

  async function get<T>(path: string): Promise<T> {
    const res = await fetch(`${base}${path}`, {
      headers: { authorization: auth, accept: "application/json" },
      signal: AbortSignal.timeout(deps.timeoutMs ?? 5_000),
    });
    if (!res.ok) throw new Error(`${path} answered ${res.status}`);
    return (await res.json()) as T;
  }

  async function load(): Promise<PriceTable> {
    const now = clock();
    try {
      const [voice, messaging] = await Promise.all([
        get<VoiceCountry>("/v1/Voice/Countries/NL"),
        get<MessagingCountry>("/v1/Messaging/Countries/NL"),
      ]);
      const table = tableFromTwilio(voice, messaging, now);
      if (!table) throw new Error("the carrier's price list has no price for NL mobile, fixed or SMS");
      cached = { table, until: now.getTime() + config.cacheMs };
      return table;
    } catch (err) {
      log.warn({ err: (err as Error).message }, "carrier prices not read: the configured fallback table is used");
      cached = { table: fallback, until: now.getTime() + Math.min(RETRY_AFTER_FAILURE_MS, config.cacheMs) };
      return fallback;
    }
  }

  return {
    /** The current table: cached, or read now (one read at a time, however many previews ask). */
    async table(): Promise<PriceTable> {
      if (cached && clock().getTime() < cached.until) return cached.table;
      loading ??= load().finally(() => (loading = null));
      return loading;
    },
  };
}

export type Pricing = ReturnType<typeof createPricing>;
