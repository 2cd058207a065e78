import type { Queryable } from "../db/db.js";
import { FINAL } from "./statuses.js";
import { statusIn } from "./transitions.js";

// An SMS may stay `sent` when its carrier never reports delivery; the carrier prices it all the same.
const PRICEABLE = [...FINAL, "sent"] as const;

/**
 * The deliveries the carrier has a price for: calls and messages that are final. Recorded (by SID, once) in
 * carrier_prices for the price collector (src/cost/collector.ts) to ask the carrier about.
 */
export const carrierPriced = {
  /** Records the final SIDs of recent alerts not recorded yet; answers how many were added. */
  async recordFinal(db: Queryable, sinceHours: number): Promise<number> {
    const r = await db.query(
      `INSERT INTO carrier_prices (sid, alert_id, region_code, channel, purpose)
       SELECT d.provider_sid, d.alert_id, a.region_code, d.channel, d.purpose
         FROM alerts a JOIN deliveries d ON d.alert_id = a.id
        WHERE a.created_at > now() - $1 * interval '1 hour' AND a.status <> 'draft'
          AND d.provider_sid IS NOT NULL AND ${statusIn([...PRICEABLE], "d.status")}
          AND NOT EXISTS (SELECT 1 FROM carrier_prices c WHERE c.sid = d.provider_sid)
       ON CONFLICT (sid) DO NOTHING`,
      [sinceHours],
    );
    return r.rowCount ?? 0;
  },
};
