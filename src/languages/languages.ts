/**
 * The languages a participant can choose, by their two-letter code (what the API, the database and the alert
 * texts use), with the locale of their voice script (voice-scripts/<locale>.json) and their writing direction.
 * Dutch is the fallback: every alert has a Dutch text, and every other language has a script that introduces it.
 */
export const LANGUAGES = ["nl", "en", "de", "fr", "pl", "tr", "ar", "uk"] as const;
export type Language = (typeof LANGUAGES)[number];

export const FALLBACK_LANGUAGE: Language = "nl";

/** The locale of each language's voice script: the voice and the speech recognition must speak it. */
export const SCRIPT_LOCALES: Readonly<Record<Language, string>> = {
  nl: "nl-NL",
  en: "en-GB",
  de: "de-DE",
  fr: "fr-FR",
  pl: "pl-PL",
  tr: "tr-TR",
  // Google's Modern Standard Arabic voices are named ar-XA; Amazon Polly calls its standard Arabic "arb".
  ar: "ar-XA",
  uk: "uk-UA",
};

/** Languages written right to left: their SMS isolate numbers and Latin names (src/languages/bidi.ts). */
export const RTL_LANGUAGES: ReadonlySet<Language> = new Set<Language>(["ar"]);

const known = new Set<string>(LANGUAGES);

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && known.has(value);
}

/** A stored or requested language as one this service speaks; Dutch for anything else. */
export function languageOr(value: unknown): Language {
  return isLanguage(value) ? value : FALLBACK_LANGUAGE;
}

/** The participant language of a script locale ("de-DE" → "de"), or undefined when it is not one of ours. */
export function languageOfLocale(locale: string): Language | undefined {
  return LANGUAGES.find((l) => SCRIPT_LOCALES[l] === locale);
}
