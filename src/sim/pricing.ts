import type { FastifyInstance } from "fastify";
import { notFound } from "./rest-errors.ts";
import type { SimCall, SimMessage } from "./types.ts";

/**
 * The emulator's price list for the Netherlands (its own numbers, in USD as most Twilio accounts are billed), served
 * as Twilio's Pricing API v1 serves it (https://pricing.twilio.com/v1/Voice/Countries/NL, …/Messaging/Countries/NL)
 * and charged on its calls and messages once they are final: the preview's estimate and the actual cost can then be
 * checked against each other with known answers.
 */
export const SIM_PRICES = {
  unit: "USD",
  voiceMobilePerMinute: 0.116,
  voiceFixedPerMinute: 0.034,
  smsPerSegment: 0.099,
} as const;

const price = (v: number) => v.toFixed(5);
const isMobile = (to: string) => to.startsWith("+316");

const FINAL_CALL = new Set(["completed", "busy", "failed", "no-answer", "canceled"]);
const FINAL_MESSAGE = new Set(["sent", "delivered", "undelivered", "failed"]);

/**
 * Twilio's `price` of a call: null until it is final, then the charge as a negative decimal string, billed per
 * started minute of talk; a call that never connected costs "0.00000". Inbound calls are not priced here.
 */
export function callPrice(call: Pick<SimCall, "status" | "duration" | "to" | "direction">): string | null {
  if (call.direction !== "outbound-api" || !FINAL_CALL.has(call.status)) return null;
  const minutes = call.status === "completed" ? Math.ceil((call.duration ?? 0) / 60) : 0;
  const rate = isMobile(call.to) ? SIM_PRICES.voiceMobilePerMinute : SIM_PRICES.voiceFixedPerMinute;
  return minutes === 0 ? price(0) : `-${price(minutes * rate)}`;
}

/** A message's `price`: per segment once it left (sent, delivered, undelivered); a failed one costs nothing. */
export function messagePrice(m: Pick<SimMessage, "status" | "numSegments" | "direction">): string | null {
  if (m.direction === "inbound" || !FINAL_MESSAGE.has(m.status)) return null;
  return m.status === "failed" ? price(0) : `-${price(m.numSegments * SIM_PRICES.smsPerSegment)}`;
}

const COUNTRY = "Netherlands";

/** GET /v1/Voice/Countries/NL and /v1/Messaging/Countries/NL; other countries are not priced here (404). */
export function registerPricingRoutes(app: FastifyInstance, baseUrl: () => string): void {
  app.get<{ Params: { iso: string } }>("/v1/Voice/Countries/:iso", async (req, reply) => {
    if (req.params.iso !== "NL") return notFound(reply, req.url);
    const current = (v: number) => ({ base_price: price(v), current_price: price(v) });
    return {
      country: COUNTRY,
      iso_country: "NL",
      outbound_prefix_prices: [
        { prefixes: ["316"], friendly_name: `${COUNTRY} - Mobile`, ...current(SIM_PRICES.voiceMobilePerMinute) },
        { prefixes: ["31"], friendly_name: COUNTRY, ...current(SIM_PRICES.voiceFixedPerMinute) },
      ],
      inbound_call_prices: [{ number_type: "local", ...current(0.0085) }],
      price_unit: SIM_PRICES.unit,
      url: `${baseUrl()}/v1/Voice/Countries/NL`,
    };
  });
  app.get<{ Params: { iso: string } }>("/v1/Messaging/Countries/:iso", async (req, reply) => {
    if (req.params.iso !== "NL") return notFound(reply, req.url);
    const sms = price(SIM_PRICES.smsPerSegment);
    return {
      country: COUNTRY,
      iso_country: "NL",
      outbound_sms_prices: ["KPN", "Vodafone", "T-Mobile"].map((carrier, i) => ({
        carrier,
        mcc: "204",
        mnc: ["08", "04", "16"][i],
        prices: [{ number_type: "mobile", base_price: sms, current_price: sms }],
      })),
      inbound_sms_prices: [{ number_type: "mobile", base_price: "0.00000", current_price: "0.00000" }],
      price_unit: SIM_PRICES.unit,
      url: `${baseUrl()}/v1/Messaging/Countries/NL`,
    };
  });
}
