import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyBaseLogger } from "fastify";
import type { Db } from "../db/db.js";
import { carrierPriced } from "../deliveries/carrier-prices.js";
import type { Carrier } from "../twilio/carrier.js";
import type { CostConfig } from "./config.js";
import { chargedAmount, toEur } from "./prices.js";

/** Final calls and SMS of alerts created this long ago are still priced. */
const PRICE_WINDOW_HOURS = 72;
/** A SID the carrier has not priced yet is asked again later, at most this many times. */
export const MAX_ASKS = 10;

export interface CollectorDeps {
  db: Db;
  carrier: Pick<Carrier, "fetchCall" | "fetchMessage">;
  config: CostConfig;
  log: FastifyBaseLogger;
  /** Lookups per pass: one pass runs at most a few seconds at PRICE_LOOKUPS_PER_SECOND. */
  batchSize?: number;
}

/**
 * The actual cost: once a call or SMS is final its SID is recorded, then its price and price_unit are read from the
 * carrier (Twilio prices a call or message shortly after it ends: until then `price` is null and it is asked again).
 * Lookups are claimed in batches with SKIP LOCKED (several instances share the work) and made one at a time at
 * PRICE_LOOKUPS_PER_SECOND: REST reads outside the call and SMS pace, far below Twilio's concurrency limit.
 */
export function createPriceCollector(deps: CollectorDeps) {
  const { db, carrier, config, log } = deps;
  const gapMs = 1000 / config.lookupsPerSecond;
  const batchSize = deps.batchSize ?? Math.max(1, Math.min(200, Math.ceil(config.lookupsPerSecond * 10)));

  return {
    /** One pass; answers how many prices were stored. */
    async run(): Promise<{ recorded: number; priced: number }> {
      const recorded = await carrierPriced.recordFinal(db, PRICE_WINDOW_HOURS);
      const due = (
        await db.query<{ sid: string; channel: "voice" | "sms" }>(
          `UPDATE carrier_prices SET asked = asked + 1, next_ask_at = now() + (asked + 1) * interval '1 minute'
            WHERE sid IN (SELECT sid FROM carrier_prices
                           WHERE price IS NULL AND next_ask_at <= now() AND asked < $2
                           ORDER BY next_ask_at LIMIT $1 FOR UPDATE SKIP LOCKED)
            RETURNING sid, channel`,
          [batchSize, MAX_ASKS],
        )
      ).rows;
      let priced = 0;
      for (const [i, d] of due.entries()) {
        if (i > 0) await sleep(gapMs);
        try {
          const r = d.channel === "voice" ? await carrier.fetchCall(d.sid) : await carrier.fetchMessage(d.sid);
          const amount = chargedAmount(r.price);
          const unit = r.priceUnit?.toUpperCase();
          if (amount === null || !unit || !/^[A-Z]{3}$/.test(unit)) continue;
          await db.query(
            `UPDATE carrier_prices SET price = $2, price_unit = $3, price_eur = $4, priced_at = now() WHERE sid = $1`,
            [d.sid, amount, unit, toEur(amount, unit, config.eurPer)],
          );
          priced++;
        } catch (err) {
          log.warn(
            { callSid: d.sid, err: (err as Error).message },
            "price not read from the carrier; asked again later",
          );
        }
      }
      return { recorded, priced };
    },
  };
}

export type PriceCollector = ReturnType<typeof createPriceCollector>;
