import { twilioVoice } from "./voices.js";

/**
 * What SSML inside `<Say>` each kind of Twilio voice accepts, for the renderer (src/ivr/ssml.ts) and the emulator
 * (src/sim/verbs/ssml.ts).
 *
 * Sources (checked 2026-12-07): Amazon Polly "Supported SSML tags" (https://docs.aws.amazon.com/polly/latest/dg/
 * supportedtags.html): standard voices take every tag; neural and generative voices take no `<emphasis>`, no
 * `<amazon:auto-breaths>`, no `<amazon:effect phonation|vocal-tract-length|whispered>`. Polly's `<say-as>` page
 * (…/say-as-tag.html): `characters`/`spell-out` is not supported by neural voices: "the affected sentence will be
 * synthesized using the related standard voice" (Polly.Laura-Neural has no standard Laura, so the citizen would hear
 * another voice mid-sentence). Twilio's error 13520 "Say: Invalid text" and its warning pages: "Twilio supports only a
 * subset of SSML tags, and unsupported SSML can cause `<Say>` to fail"; an element Twilio does not know is 12200.
 * Google's Chirp 3: HD voices take plain text prompts only (pause tags and custom pronunciations are their own API
 * fields, not SSML): no SSML at all. Google Standard, WaveNet and Neural2 voices take `<say-as interpret-as=
 * "characters">` (Cloud TTS SSML reference).
 */

/** Elements Twilio's TwiML schema allows inside `<Say>`; anything else is a 12200 schema error. */
export const SSML_ELEMENTS: ReadonlySet<string> = new Set([
  "break",
  "emphasis",
  "lang",
  "p",
  "phoneme",
  "prosody",
  "s",
  "say-as",
  "sub",
  "w",
  "amazon:domain",
  "amazon:effect",
]);

const NOT_ON_POLLY_NEURAL = new Set(["emphasis", "amazon:effect"]);

export type SsmlRefusal = { element: string; reason: string };

/** Why this voice would not take this SSML element (with its attributes), or undefined when it would. */
export function ssmlRefusal(voice: string | undefined, element: string): SsmlRefusal | undefined {
  if (!SSML_ELEMENTS.has(element)) return { element, reason: `<${element}> is not SSML that Twilio knows` };
  const v = voice ? twilioVoice(voice) : undefined;
  if (!v) return undefined;
  if (v.provider === "Google" && v.engine === "generative")
    return { element, reason: `${voice} (Chirp 3: HD) takes no SSML` };
  if (v.provider === "Polly" && v.engine !== "standard" && NOT_ON_POLLY_NEURAL.has(element))
    return { element, reason: `${voice} (${v.engine}) does not take <${element}>` };
  return undefined;
}

/**
 * True when Polly would speak this element's sentence with another voice: a neural voice meeting `<say-as
 * interpret-as="characters|spell-out">`. Twilio takes it; the citizen hears a voice change mid-sentence.
 */
export function ssmlVoiceFallback(voice: string | undefined, element: string, attrs: Record<string, string>): boolean {
  const v = voice ? twilioVoice(voice) : undefined;
  return v?.provider === "Polly" && v.engine === "neural" && element === "say-as" && isSpelling(attrs["interpret-as"]);
}

function isSpelling(interpretAs: string | undefined): boolean {
  return interpretAs === "characters" || interpretAs === "spell-out";
}

/**
 * The `interpret-as` this voice spells a word with, letter by letter, in its own voice; undefined when it has none
 * (Polly neural falls back to another voice, Chirp 3: HD takes no SSML): then spell with spaces in plain text.
 */
export function spellsWith(voice: string | undefined): "spell-out" | "characters" | undefined {
  const v = voice ? twilioVoice(voice) : undefined;
  if (!v) return undefined;
  if (v.provider === "Polly") return v.engine === "neural" ? undefined : "spell-out";
  return v.engine === "generative" ? undefined : "characters";
}
