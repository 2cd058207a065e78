// src/rules/: rules that alerts (preview) and the IVR (the call) both apply; they import neither.
/**
 * The one piece of SSML an alert's voice text may carry: a word to spell, as a template writes a licence plate
 * (src/templates/licence-plate.ts); groups apart by dashes. The call renderer (src/ivr/ssml.ts) turns it into what the
 * participant's voice can spell.
 */
export const SPELL_MARKUP = /<say-as interpret-as="spell-out">([A-Z0-9]{1,8}(?:-[A-Z0-9]{1,8}){0,3})<\/say-as>/g;

/** "12-ABC-3" read in plain text, character by character, groups apart: "1 2, A B C, 3". */
export function spelledPlainly(word: string): string {
  return word
    .split("-")
    .map((g) => g.split("").join(" "))
    .join(", ");
}

/** The text as a listener hears it, without markup. */
export function plainSpoken(text: string): string {
  return text.replace(SPELL_MARKUP, (_m, word: string) => spelledPlainly(word));
}

/** Speaking rate of Twilio's Polly and Google voices at their default prosody: about 150 words a minute. */
export const WORDS_PER_SECOND = 2.5;
const SENTENCE_PAUSE_S = 0.4;
const COMMA_PAUSE_S = 0.2;

/**
 * An estimate of how long a voice takes to read a text, in seconds (one decimal): words at 150 a minute (a spelled
 * character counts as a word), 0.4 s after each sentence and 0.2 s at each comma. Within about 20 % of Polly's
 * Dutch and English neural voices for alert-like sentences; it is for comparing texts, not a promise.
 */
export function spokenSeconds(text: string): number {
  const plain = plainSpoken(text);
  // A word is a run without spaces holding a letter or digit: a dash between words is no word.
  const words = (plain.match(/\S*[\p{L}\p{N}]\S*/gu) ?? []).length;
  const sentences = (plain.match(/[.!?](\s|$)/g) ?? []).length;
  const commas = (plain.match(/[,;:]/g) ?? []).length;
  return Math.round((words / WORDS_PER_SECOND + sentences * SENTENCE_PAUSE_S + commas * COMMA_PAUSE_S) * 10) / 10;
}
