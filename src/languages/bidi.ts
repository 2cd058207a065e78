/**
 * Right-to-left SMS text (Arabic) as phones show it best. A message's direction is taken from its first strong
 * letter, so a Latin "Burgernet" first would lay an Arabic message out left to right; numbers with spaces or a "+"
 * ("+31 20 123 4567", "112") come out in the wrong order inside Arabic. Unicode's isolates (LRI/FSI … PDI, Unicode
 * 6.3) fix both without changing what is read; stray marks pasted with a text (LRM, RLM, ALM, an embedding never
 * closed) are removed first, because an unclosed one reorders everything after it.
 */
const LRI = "\u2066";
const FSI = "\u2068";
const PDI = "\u2069";

const BIDI_CONTROLS = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;

/** Without directional marks and embeddings: what the operator meant, before we isolate what needs it. */
export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, "");
}

/** Left-to-right text kept in its own order inside a right-to-left message. */
export function isolateLtr(text: string): string {
  return `${LRI}${text}${PDI}`;
}

/** A name in either script, kept whole and left out of the choice of the message's direction. */
export function isolateAny(text: string): string {
  return `${FSI}${text}${PDI}`;
}

// A phone number or a run of numbers with spaces, dots, dashes or a leading "+": the bidi algorithm would lay its
// groups out right to left. A single number ("112", "14:30") is already shown as written.
const NUMBER_RUN = /\+?\d+(?:[ .\-/]\d+)+|\+\d+/g;

/** Every phone number or spaced number in a right-to-left text, isolated left to right. */
export function isolateNumbers(text: string): string {
  return text.replace(NUMBER_RUN, (run) => isolateLtr(run));
}
