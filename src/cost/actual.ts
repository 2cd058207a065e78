import type { Queryable } from "../db/db.js";
import { euros } from "./prices.js";

interface Group {
  channel: "voice" | "sms";
  purpose: "alert" | "closing";
  price_unit: string | null;
  priced: number;
  pending: number;
  amount: string | null;
  eur: string | null;
}

export interface ActualCost {
  /** What the carrier charged, in euros, for every call and SMS priced so far. */
  eur: number;
  calls: { priced: number; eur: number };
  sms: { priced: number; eur: number };
  closing: { priced: number; eur: number };
  /** Final calls and SMS whose price the carrier has not given yet (asked again later). */
  awaitingPrice: number;
  /** The carrier's own amounts, in the unit it bills in. */
  carrierAmounts: { unit: string; amount: number }[];
}

/**
 * The actual cost of an alert from the carrier's price of each call and message (carrier_prices, filled by
 * src/cost/collector.ts). Exported for other features (analytics): the one definition of what an alert cost.
 */
export async function actualCost(db: Queryable, alertId: string): Promise<ActualCost> {
  const rows = (
    await db.query<Group>(
      `SELECT channel, purpose, price_unit, count(price)::int AS priced, (count(*) - count(price))::int AS pending,
              sum(price)::text AS amount, sum(price_eur)::text AS eur
         FROM carrier_prices WHERE alert_id = $1 GROUP BY channel, purpose, price_unit`,
      [alertId],
    )
  ).rows;
  const part = (keep: (g: Group) => boolean) => {
    const chosen = rows.filter(keep);
    return {
      priced: chosen.reduce((n, g) => n + g.priced, 0),
      eur: euros(chosen.reduce((n, g) => n + Number(g.eur ?? 0), 0)),
    };
  };
  const amounts = new Map<string, number>();
  for (const g of rows)
    if (g.price_unit) amounts.set(g.price_unit, (amounts.get(g.price_unit) ?? 0) + Number(g.amount));
  return {
    eur: euros(rows.reduce((n, g) => n + Number(g.eur ?? 0), 0)),
    calls: part((g) => g.purpose === "alert" && g.channel === "voice"),
    sms: part((g) => g.purpose === "alert" && g.channel === "sms"),
    closing: part((g) => g.purpose === "closing"),
    awaitingPrice: rows.reduce((n, g) => n + g.pending, 0),
    carrierAmounts: [...amounts].map(([unit, amount]) => ({ unit, amount: Math.round(amount * 1e5) / 1e5 })),
  };
}

const money = { type: "number", description: "Euros, to the cent" } as const;
const part = { type: "object", properties: { priced: { type: "integer" }, eur: money } } as const;
export const actualCostSchema = {
  type: "object",
  description: "What the carrier charged (its price and price_unit of each call and SMS once final), in euros",
  properties: {
    eur: money,
    calls: part,
    sms: part,
    closing: part,
    awaitingPrice: { type: "integer" },
    carrierAmounts: {
      type: "array",
      items: { type: "object", properties: { unit: { type: "string" }, amount: { type: "number" } } },
    },
  },
} as const;
