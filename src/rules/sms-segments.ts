// src/rules/: rules that alerts (preview, targeting) and dispatch (the send) both apply; they import neither.
import { isolateAny, isolateLtr, isolateNumbers, stripBidiControls } from "../languages/bidi.js";
import { RTL_LANGUAGES, type Language } from "../languages/languages.js";
/**
 * The SMS body that goes out, and its segments as carriers count them: GSM-7 (160 septets, 153 per part when
 * concatenated) or UCS-2 (70 UTF-16 units, 67 per part). An extension character (€ [ ] { } ^ ~ \ | and form feed) is
 * an escape pair of 2 septets and a character outside the BMP (emoji) a surrogate pair of 2 units: neither is ever
 * split across parts, so a part can hold one fewer. `152×a € 151×a € 152×a` is 459 septets and 4 parts, not 3.
 */
const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENDED = "^{}\\[~]|€\f";

const basic = new Set(GSM7_BASIC);
const extended = new Set(GSM7_EXTENDED);

export interface SegmentInfo {
  encoding: "GSM-7" | "UCS-2";
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) of the whole body. */
  characters: number;
  segments: number;
}

export const MAX_SMS_SEGMENTS = 3;

const PREFIX = "Burgernet: ";
const ALREADY_PREFIXED = /^\s*burgernet\b/i;
const NAMED = /^\s*burgernet\b\s*:?/i;

export interface BodyOptions {
  /**
   * The text is the Dutch one, for a participant whose language the alert has no text in: this sentence of their
   * language introduces it (src/languages/fallback.ts reads it from their voice script).
   */
  intro?: string;
}

/**
 * The exact body sent for an alert or closing text: the sender's name first, unless the text already starts with it
 * (a CAP headline "Burgernet: …" is not prefixed twice). A Dutch text sent in another language's place is introduced
 * by that language's sentence. Right-to-left languages get their numbers and the Latin name isolated
 * (src/languages/bidi.ts). The sender and the segment count both use this.
 */
// Stryker disable next-line StringLiteral: every left-to-right language builds the same body, "nl" names the default.
export function smsBody(text: string, language: Language = "nl", opts: BodyOptions = {}): string {
  const intro = opts.intro;
  if (!RTL_LANGUAGES.has(language)) {
    if (!intro) return ALREADY_PREFIXED.test(text) ? text.trim() : `${PREFIX}${text}`;
    return `${PREFIX}${intro} ${text.replace(NAMED, "").trim()}`;
  }
  const clean = stripBidiControls(text).replace(NAMED, "").trim();
  // The Dutch text keeps its own direction inside the Arabic message; an Arabic text gets its numbers isolated.
  const main = intro ? `${isolateNumbers(intro)} ${isolateLtr(clean)}` : isolateNumbers(clean);
  return `${isolateAny("Burgernet")}: ${main}`;
}

/** Parts needed for units of these sizes, none split: greedy packing into parts of `perPart`. */
function partsFor(sizes: number[], single: number, perPart: number): number {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total <= single) return 1;
  let parts = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > perPart) {
      parts++;
      used = 0;
    }
    used += size;
  }
  return parts;
}

export function smsSegments(text: string): SegmentInfo {
  const chars = [...text];
  if (chars.every((ch) => basic.has(ch) || extended.has(ch))) {
    const sizes = chars.map((ch) => (extended.has(ch) ? 2 : 1));
    return { encoding: "GSM-7", characters: sizes.reduce((a, b) => a + b, 0), segments: partsFor(sizes, 160, 153) };
  }
  const sizes = chars.map((ch) => ch.length);
  return { encoding: "UCS-2", characters: text.length, segments: partsFor(sizes, 70, 67) };
}

/** Segments of what actually goes out for this text. */
// Stryker disable next-line StringLiteral: as smsBody's default.
export function outgoingSmsSegments(text: string, language: Language = "nl", opts: BodyOptions = {}): SegmentInfo {
  return smsSegments(smsBody(text, language, opts));
}

/** The photo page's path: PUBLIC_URL + this + a 22-character base64url token (128 bits). */
export const PHOTO_PATH = "/p/";
export const PHOTO_TOKEN_CHARS = 22;

/** The link an alert SMS ends with when its alert has a photo. */
export const photoLink = (publicUrl: string, token: string) => `${publicUrl}${PHOTO_PATH}${token}`;

/** The body of an alert SMS with the photo link after the text, as the sender builds it. */
export function smsBodyWithLink(text: string, language: Language, link: string | null, opts: BodyOptions = {}): string {
  return appendLink(smsBody(text, language, opts), language, link);
}

/** A finished SMS body with the photo link at its end (none: the body as it is). */
export function appendLink(body: string, language: Language, link: string | null): string {
  if (!link) return body;
  // In a right-to-left message the link keeps its own direction.
  return `${body} ${RTL_LANGUAGES.has(language) ? isolateLtr(link) : link}`;
}

/**
 * Segments of an alert SMS carrying the photo link. Any token counts the same: base64url characters are all single
 * GSM-7 septets, so a stand-in of the same length gives the count every real token gives.
 */
export function outgoingSmsSegmentsWithLink(
  text: string,
  language: Language,
  publicUrl: string,
  opts: BodyOptions = {},
): SegmentInfo {
  return smsSegments(smsBodyWithLink(text, language, photoLink(publicUrl, "A".repeat(PHOTO_TOKEN_CHARS)), opts));
}
