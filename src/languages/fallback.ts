import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FALLBACK_LANGUAGE, SCRIPT_LOCALES, type Language } from "./languages.js";

export const VOICE_SCRIPTS_DIR = fileURLToPath(new URL("../../voice-scripts/", import.meta.url));

export interface DutchFallback {
  /** Spoken before the Dutch alert text, in the participant's voice. */
  say: string;
  /** Written before the Dutch SMS text. */
  sms: string;
}

let intros: Partial<Record<Language, DutchFallback>> | undefined;

/**
 * The sentence that introduces a Dutch alert text to a participant whose language the alert has no text in, from
 * that language's voice script (`dutchFallback`; the boot check, src/ivr/load-scripts.ts, requires it). Read once:
 * the preview, the dispatcher and the calls all count and send the same sentence.
 */
export function dutchFallback(language: Language): DutchFallback | undefined {
  if (language === FALLBACK_LANGUAGE) return undefined;
  intros ??= Object.fromEntries(
    (Object.entries(SCRIPT_LOCALES) as Array<[Language, string]>).flatMap(([lang, locale]) => {
      try {
        const script = JSON.parse(readFileSync(join(VOICE_SCRIPTS_DIR, `${locale}.json`), "utf8"));
        return script.dutchFallback ? [[lang, script.dutchFallback as DutchFallback]] : [];
      } catch {
        return [];
      }
    }),
  );
  return intros[language];
}
