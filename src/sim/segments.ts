const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENDED = "^{}\\[~]|€\f";
const BASIC = new Set(GSM7_BASIC);
const EXTENDED = new Set(GSM7_EXTENDED);

/**
 * Segments Twilio would bill: GSM-7 160/153 septets, otherwise UCS-2 70/67 code units. A part never ends in the
 * middle of an escape pair (extension character) or a surrogate pair (emoji): such a unit moves to the next part.
 */
export function smsSegments(body: string): number {
  let gsm = true;
  for (const ch of body) {
    if (!BASIC.has(ch) && !EXTENDED.has(ch)) {
      gsm = false;
      break;
    }
  }
  const [single, perPart] = gsm ? [160, 153] : [70, 67];
  let total = 0;
  for (const ch of body) total += gsm ? (EXTENDED.has(ch) ? 2 : 1) : ch.length;
  if (total <= single) return 1;
  let parts = 1;
  let room = perPart;
  for (const ch of body) {
    const size = gsm ? (EXTENDED.has(ch) ? 2 : 1) : ch.length;
    if (size > room) {
      parts++;
      room = perPart;
    }
    room -= size;
  }
  return parts;
}
