import type { CostConfig } from "./config.js";
import { euros, toEur, type PriceTable } from "./prices.js";

/** Who an alert would reach, as the cost counts them (src/cost/queries.ts). */
export interface CostCounts {
  voiceMobile: number;
  voiceFixed: number;
  /** SMS per participant language, with the segments of the text that language gets. */
  sms: { language: string; messages: number; segments: number }[];
  /** Participants on a mobile number (closing by SMS) and on a fixed one (closing by call), all assumed reached. */
  closingSms: number;
  closingCalls: number;
}

export interface ExpectedCost {
  eur: number;
  calls: { mobile: number; fixed: number; minutes: number; eur: number };
  sms: {
    messages: number;
    segments: number;
    eur: number;
    byLanguage: Record<string, { messages: number; segments: number; eur: number }>;
  };
  closing: { sms: number; calls: number; eur: number };
  prices: PriceTable & { eurPerUnit: number };
  basis: string;
}

const source = (t: PriceTable) =>
  t.source === "carrier"
    ? `the carrier's Pricing API, read ${t.fetchedAt}`
    : "the configured fallback table (the carrier's Pricing API could not be read)";

/**
 * The expected cost of an alert in euros, an upper bound stated with its basis: every call answered and lasting
 * the configured minutes (billed per started minute), every SMS sent with the segments the preview counts, and
 * everyone targeted reached, so getting the closing message (1 segment, or a call to a fixed number).
 */
export function expectedCost(c: CostCounts, table: PriceTable, config: CostConfig): ExpectedCost | null {
  const rate = toEur(1, table.unit, config.eurPer);
  if (rate === null) return null;
  const minutes = Math.ceil(config.callMinutes);
  const callEur =
    (c.voiceMobile * table.voiceMobilePerMinute + c.voiceFixed * table.voiceFixedPerMinute) * minutes * rate;
  const byLanguage: ExpectedCost["sms"]["byLanguage"] = {};
  for (const s of c.sms) {
    byLanguage[s.language] = {
      messages: s.messages,
      segments: s.messages * s.segments,
      eur: euros(s.messages * s.segments * table.smsPerSegment * rate),
    };
  }
  const segments = c.sms.reduce((n, s) => n + s.messages * s.segments, 0);
  const smsEur = segments * table.smsPerSegment * rate;
  const closingEur = (c.closingSms * table.smsPerSegment + c.closingCalls * table.voiceFixedPerMinute * minutes) * rate;
  const unitNote = table.unit === "EUR" ? "" : `, converted at ${rate} EUR per ${table.unit}`;
  return {
    eur: euros(callEur + smsEur + closingEur),
    calls: { mobile: c.voiceMobile, fixed: c.voiceFixed, minutes, eur: euros(callEur) },
    sms: { messages: c.sms.reduce((n, s) => n + s.messages, 0), segments, eur: euros(smsEur), byLanguage },
    closing: { sms: c.closingSms, calls: c.closingCalls, eur: euros(closingEur) },
    prices: { ...table, eurPerUnit: rate },
    basis:
      `An upper bound: every call answered and billed ${minutes} started minute(s) at the price per minute to Dutch ` +
      `mobile or fixed numbers; every SMS with the segments shown, per segment; everyone targeted reached and sent ` +
      `the closing message (1 SMS segment to a mobile number, a call to a fixed one). Prices: ` +
      `${source(table)}, in ${table.unit}${unitNote}.`,
  };
}
