import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";

export type PhoneType = "mobile" | "fixed" | "other";

/** Normalises to E.164 with NL as the default region; null when not a valid number. */
export function normalisePhone(input: string): { e164: string; type: PhoneType } | null {
  const parsed = parsePhoneNumberFromString(input, "NL");
  if (!parsed?.isValid()) return null;
  const t = parsed.getType();
  const type: PhoneType =
    t === "MOBILE" || t === "FIXED_LINE_OR_MOBILE" ? "mobile" : t === "FIXED_LINE" || t === "VOIP" ? "fixed" : "other";
  return { e164: parsed.number, type };
}

/**
 * Whether we may send a code to this number at our cost: a geographic landline or a mobile number of an allowed
 * country. Premium, shared-cost, toll-free, UAN, personal, VoIP, pager, satellite and other non-geographic
 * ranges (they have no country) are refused, and so are Dutch M2M numbers (097), which libphonenumber calls mobile.
 * Returns the reason when refused.
 */
export function phoneRefusal(input: string, allowedCountries: readonly string[]): string | null {
  const parsed = parsePhoneNumberFromString(input, "NL");
  if (!parsed?.isValid()) return null; // not a number at all: BN_INVALID_PHONE, decided by normalisePhone
  if (!parsed.country || !allowedCountries.includes(parsed.country as CountryCode))
    return `Numbers of ${parsed.country ?? `+${parsed.countryCallingCode} (non-geographic)`} are not accepted`;
  const type = parsed.getType();
  if (type !== "MOBILE" && type !== "FIXED_LINE" && type !== "FIXED_LINE_OR_MOBILE")
    return `This kind of number (${(type ?? "unknown").toLowerCase().replace(/_/g, " ")}) is not accepted`;
  if (parsed.country === "NL" && parsed.nationalNumber.startsWith("97"))
    return "Machine-to-machine numbers (097) are not accepted";
  return null;
}

/** +31612345678 → +316•••••678: enough for a citizen or operator to recognise, useless to anyone else. */
export function maskPhone(e164: string | null | undefined): string | null {
  if (!e164) return null;
  return e164.length <= 7 ? "•••" : `${e164.slice(0, 4)}${"•".repeat(e164.length - 7)}${e164.slice(-3)}`;
}
