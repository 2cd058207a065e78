/**
 * The text-to-speech voices Twilio offers for the languages this service speaks, as `<Say voice>` names.
 *
 * Sources (checked 2026-12-01): Twilio's voice list at https://www.twilio.com/docs/voice/twiml/say/text-speech
 * (Polly.<Name> standard, Polly.<Name>-Neural, Polly.<Name>-Generative; Google.<locale>-<Model>-<Letter>) and
 * Amazon's "Available voices" table at https://docs.aws.amazon.com/polly/latest/dg/available-voices.html
 * (nl-NL: Laura neural + generative, Lotte and Ruben standard only; nl-BE: Lisa neural + generative; en-GB: Amy,
 * Emma, Brian standard + neural, Arthur neural only, Amy and Brian generative). Google's Chirp 3: HD voice names
 * and languages: https://cloud.google.com/text-to-speech/docs/chirp3-hd.
 *
 * Added 2026-12-07 for German, French, Polish, Turkish, Arabic and Ukrainian, from the same Polly table (de-DE Marlene,
 * Vicki, Hans standard, Vicki and Daniel neural; fr-FR Celine, Lea, Mathieu standard, Lea and Remi neural; pl-PL Ewa,
 * Maja, Jacek, Jan standard, Ola neural; tr-TR Filiz standard, Burcu neural; Arabic "arb" Zeina standard, Gulf Arabic
 * ar-AE Hala and Zayd neural; no Ukrainian voice at all) and Google's voice list
 * (https://cloud.google.com/text-to-speech/docs/voices: de-DE, fr-FR, pl-PL, tr-TR Standard and WaveNet A-E/F, fr-FR
 * Neural2 A-E; Modern Standard Arabic ar-XA Standard and WaveNet A-D; uk-UA Standard-A and Wavenet-A; Chirp 3: HD for
 * all six). A voice that is not here is not offered by
 * Twilio for that language: Twilio logs warning 13511 (13321 inside a Gather) and plays a fallback voice, or nothing.
 */

export type VoiceEngine = "standard" | "neural" | "generative";

export interface TwilioVoice {
  name: string;
  language: string;
  provider: "Polly" | "Google";
  engine: VoiceEngine;
}

interface PollySpec {
  standard?: string[];
  neural?: string[];
  generative?: string[];
}

interface GoogleSpec {
  Standard?: string;
  Wavenet?: string;
  Neural2?: string;
  chirp3?: boolean;
}

const CHIRP3_HD = (
  "Achernar Achird Algenib Algieba Alnilam Aoede Autonoe Callirrhoe Charon Despina Enceladus Erinome Fenrir Gacrux " +
  "Iapetus Kore Laomedeia Leda Orus Pulcherrima Puck Rasalgethi Sadachbia Sadaltager Schedar Sulafat Umbriel " +
  "Vindemiatrix Zephyr Zubenelgenubi"
).split(" ");

const POLLY: Record<string, PollySpec> = {
  "nl-NL": { standard: ["Lotte", "Ruben"], neural: ["Laura"], generative: ["Laura"] },
  "nl-BE": { neural: ["Lisa"], generative: ["Lisa"] },
  "en-GB": {
    standard: ["Amy", "Emma", "Brian"],
    neural: ["Amy", "Emma", "Brian", "Arthur"],
    generative: ["Amy", "Brian"],
  },
  "de-DE": { standard: ["Marlene", "Vicki", "Hans"], neural: ["Vicki", "Daniel"] },
  "fr-FR": { standard: ["Celine", "Lea", "Mathieu"], neural: ["Lea", "Remi"] },
  "pl-PL": { standard: ["Ewa", "Maja", "Jacek", "Jan"], neural: ["Ola"] },
  "tr-TR": { standard: ["Filiz"], neural: ["Burcu"] },
  arb: { standard: ["Zeina"] },
  "ar-AE": { neural: ["Hala", "Zayd"] },
  // Amazon Polly has no Ukrainian voice: Ukrainian is spoken by Google's voices only.
};

/** Google voice letters per model (Standard, Wavenet, Neural2), and whether Chirp 3: HD speaks the locale. */
const GOOGLE: Record<string, GoogleSpec> = {
  "nl-NL": { Standard: "ABCDE", Wavenet: "ABCDE", chirp3: true },
  "nl-BE": { Standard: "AB", Wavenet: "AB", chirp3: true },
  "en-GB": { Standard: "ABCDF", Wavenet: "ABCDF", Neural2: "ABCDF", chirp3: true },
  "de-DE": { Standard: "ABCDEF", Wavenet: "ABCDEF", chirp3: true },
  "fr-FR": { Standard: "ABCDE", Wavenet: "ABCDE", Neural2: "ABCDE", chirp3: true },
  "pl-PL": { Standard: "ABCDE", Wavenet: "ABCDE", chirp3: true },
  "tr-TR": { Standard: "ABCDE", Wavenet: "ABCDE", chirp3: true },
  "ar-XA": { Standard: "ABCD", Wavenet: "ABCD", chirp3: true },
  "uk-UA": { Standard: "A", Wavenet: "A", chirp3: true },
};

function pollyVoices(language: string, spec: PollySpec): TwilioVoice[] {
  const suffix: Record<VoiceEngine, string> = { standard: "", neural: "-Neural", generative: "-Generative" };
  return (Object.keys(suffix) as VoiceEngine[]).flatMap((engine) =>
    (spec[engine] ?? []).map((n) => ({ name: `Polly.${n}${suffix[engine]}`, language, provider: "Polly", engine })),
  );
}

function googleVoices(language: string, spec: GoogleSpec): TwilioVoice[] {
  const lettered = (["Standard", "Wavenet", "Neural2"] as const).flatMap((model) =>
    [...(spec[model] ?? "")].map((letter): TwilioVoice => ({
      name: `Google.${language}-${model}-${letter}`,
      language,
      provider: "Google",
      engine: model === "Standard" ? "standard" : "neural",
    })),
  );
  const chirp = spec.chirp3
    ? CHIRP3_HD.map((n): TwilioVoice => ({
        name: `Google.${language}-Chirp3-HD-${n}`,
        language,
        provider: "Google",
        engine: "generative",
      }))
    : [];
  return [...lettered, ...chirp];
}

export const TWILIO_VOICES: readonly TwilioVoice[] = [
  ...Object.entries(POLLY).flatMap(([lang, spec]) => pollyVoices(lang, spec)),
  ...Object.entries(GOOGLE).flatMap(([lang, spec]) => googleVoices(lang, spec)),
];

const byName = new Map<string, TwilioVoice>(TWILIO_VOICES.map((v) => [v.name, v]));
export const VOICE_LANGUAGES: ReadonlySet<string> = new Set(TWILIO_VOICES.map((v) => v.language));

export function twilioVoice(name: string): TwilioVoice | undefined {
  return byName.get(name);
}

/**
 * Why Twilio would not speak `language` with `voice`, or undefined when it would. Without a voice Twilio uses the
 * account's default for the language, which this table cannot judge.
 */
export function voiceProblem(voice: string | undefined, language: string | undefined): string | undefined {
  if (voice === undefined) return undefined;
  const known = byName.get(voice);
  if (!known) return `"${voice}" is not a voice Twilio offers`;
  if (language !== undefined && known.language !== language)
    return `"${voice}" speaks ${known.language}, not ${language}`;
  return undefined;
}
