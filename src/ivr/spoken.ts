import { parsePhoneNumberFromString } from "libphonenumber-js/max";

/** A phone number as a voice should read it: national digits one by one, "0 9 7 0, 1 0 0 ..." */
export function speakPhone(e164: string): string {
  const national = parsePhoneNumberFromString(e164)?.formatNational() ?? e164;
  return national
    .split(/\s+/)
    .map((group) => group.replace(/\D/g, "").split("").join(" "))
    .filter(Boolean)
    .join(", ");
}

/** A phone number as an SMS shows it: national format, e.g. "0970 1000 0000". */
export function writePhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatNational() ?? e164;
}

/** Digits read one by one: "1234" → "1 2 3 4". */
export function speakDigits(digits: string): string {
  return digits.split("").join(" ");
}

/** Local clock time of a moment, e.g. "14:05", in the service's time zone. */
export function clockTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("nl-NL", { hour: "2-digit", minute: "2-digit", timeZone }).format(at);
}

/** The short reference of an alert the meldkamer can find it by: the first 6 characters of its id, read one by one. */
export function speakAlertRef(alertId: string): string {
  return speakDigits(alertId.slice(0, 6).toUpperCase());
}

const UNKNOWN_DISTANCE = { nl: "onbekend", en: "unknown" };

/** A distance as a voice reads it: "350 meter", "1,2 kilometer" (en: "350 metres", "1.2 kilometres"). */
export function speakDistance(meters: number | null, language: "nl" | "en"): string {
  if (meters === null || !Number.isFinite(meters)) return UNKNOWN_DISTANCE[language];
  if (meters < 1000) {
    const m = Math.max(10, Math.round(meters / 10) * 10);
    return language === "nl" ? `${m} meter` : `${m} metres`;
  }
  const km = new Intl.NumberFormat(language === "nl" ? "nl-NL" : "en-GB", { maximumFractionDigits: 1 }).format(
    meters / 1000,
  );
  return language === "nl" ? `${km} kilometer` : `${km} kilometres`;
}
