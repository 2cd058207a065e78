import { maskPhone } from "./phone.js";

/**
 * Phone numbers inside free text: international (+31 6…, 0031…), Dutch without the plus (316…) and national
 * (06-1234 5678). Not inside identifiers (CA0612…, a UUID): no letter, digit, plus or dash touches either end.
 */
const INTERNATIONAL = String.raw`(?:\+|00)[1-9](?:[ \-]?\d){6,14}`;
const DUTCH_BARE = String.raw`31[1-9]\d{8}`;
const DUTCH_NATIONAL = String.raw`0[1-9](?:[ \-]?\d){8}`;
const PHONE_IN_TEXT = new RegExp(
  String.raw`(?<![\w+-])(?:${INTERNATIONAL}|${DUTCH_BARE}|${DUTCH_NATIONAL})(?![\w-])`,
  "g",
);

function toE164(found: string): string {
  const digits = found.replace(/[ -]/g, "");
  if (digits.startsWith("+")) return digits;
  if (digits.startsWith("00")) return `+${digits.slice(2)}`;
  if (digits.startsWith("31")) return `+${digits}`;
  return `+31${digits.slice(1)}`;
}

/** Every number in a text masked by the one masking function, whatever its spelling. */
export function maskPhonesInText(text: string): string {
  return text.replace(PHONE_IN_TEXT, (found) => maskPhone(toE164(found)) ?? "");
}

/**
 * The same, through every string of a JSON-like value: arrays and plain objects (event payloads, log objects).
 * Anything else (an Error, a request, a socket) is left to its serializer: the log's error serializer turns an
 * error into a plain object first, and walking a live request object would cost every log line dearly.
 */
export function maskPhonesDeep<T>(value: T, depth = 0): T {
  if (typeof value === "string") return maskPhonesInText(value) as T;
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => maskPhonesDeep(v, depth + 1)) as T;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskPhonesDeep(v, depth + 1);
  return out as T;
}
