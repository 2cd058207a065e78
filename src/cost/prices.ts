/**
 * The carrier's prices for the Netherlands as the preview uses them, read from Twilio's Pricing API (v1 Voice and
 * Messaging Countries/NL) or the configured fallback table. Twilio writes prices as decimal strings in the account's
 * currency (`price_unit`, e.g. "USD"); amounts are kept in that unit and converted to euros with the configured rate.
 */
export interface PriceTable {
  unit: string;
  /** Per minute, to Dutch mobile numbers (+316) and to fixed numbers (the dearest prefix of each kind). */
  voiceMobilePerMinute: number;
  voiceFixedPerMinute: number;
  /** Per SMS segment to a Dutch mobile number (the dearest mobile network). */
  smsPerSegment: number;
  source: "carrier" | "fallback";
  /** When the carrier's table was read; null for the fallback. */
  fetchedAt: string | null;
}

export interface VoiceCountry {
  iso_country?: string;
  price_unit?: string;
  outbound_prefix_prices?: { prefixes?: string[]; friendly_name?: string; current_price?: string | number }[];
}

export interface MessagingCountry {
  iso_country?: string;
  price_unit?: string;
  outbound_sms_prices?: { carrier?: string; prices?: { number_type?: string; current_price?: string | number }[] }[];
}

const amount = (v: unknown): number | null => {
  const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) ? Math.abs(n) : null;
};

const isMobilePrefix = (p: { prefixes?: string[]; friendly_name?: string }) =>
  /mobile/i.test(p.friendly_name ?? "") || (p.prefixes ?? []).some((x) => x.startsWith("316"));

const dearest = (values: (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? Math.max(...known) : null;
};

/** Twilio's two country resources as one table; null when either lacks a price the preview needs. */
export function tableFromTwilio(voice: VoiceCountry, messaging: MessagingCountry, at: Date): PriceTable | null {
  const prefixes = voice.outbound_prefix_prices ?? [];
  const mobile = dearest(prefixes.filter(isMobilePrefix).map((p) => amount(p.current_price)));
  const fixed = dearest(prefixes.filter((p) => !isMobilePrefix(p)).map((p) => amount(p.current_price)));
  const sms = dearest(
    (messaging.outbound_sms_prices ?? []).flatMap((c) =>
      (c.prices ?? []).filter((p) => p.number_type === "mobile").map((p) => amount(p.current_price)),
    ),
  );
  const unit = (voice.price_unit ?? "").toUpperCase();
  if (mobile === null || fixed === null || sms === null || !/^[A-Z]{3}$/.test(unit)) return null;
  if ((messaging.price_unit ?? "").toUpperCase() !== unit) return null;
  return {
    unit,
    voiceMobilePerMinute: mobile,
    voiceFixedPerMinute: fixed,
    smsPerSegment: sms,
    source: "carrier",
    fetchedAt: at.toISOString(),
  };
}

/** Euros for an amount in `unit`: EUR as it is, any other unit at the configured rate (null: no rate for it). */
export function toEur(value: number, unit: string, eurPer: Record<string, number>): number | null {
  const u = unit.toUpperCase();
  if (u === "EUR") return value;
  const rate = eurPer[u];
  return rate === undefined ? null : value * rate;
}

/** Twilio's price of a call or message ("-0.0075") as the amount charged (0.0075); null while unknown. */
export const chargedAmount = (price: string | number | null | undefined): number | null =>
  price === null || price === undefined ? null : amount(price);

/** Cents, as money is shown: two decimals, rounded half up. */
export const euros = (v: number) => Math.round(v * 100 + Number.EPSILON) / 100;
