import { parsePhoneNumberFromString } from "libphonenumber-js/max";

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

/** +31612345678 → +316•••••678: enough for a citizen or operator to recognise, useless to anyone else. */
export function maskPhone(e164: string | null | undefined): string | null {
  if (!e164) return null;
  return e164.length <= 7 ? "•••" : `${e164.slice(0, 4)}${"•".repeat(e164.length - 7)}${e164.slice(-3)}`;
}
