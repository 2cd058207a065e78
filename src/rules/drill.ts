import type { Language } from "../languages/languages.js";

/**
 * The sentence that opens every SMS of a drill, in the participant's language (the voice scripts' `drill` step says
 * the same on a call), so that nobody takes a practice alert for a real one. The non-Dutch, non-English sentences
 * were written without a native speaker's review.
 */
const DRILL_SENTENCE: Record<Language, string> = {
  nl: "Dit is een oefening.",
  en: "This is a drill.",
  de: "Dies ist eine Übung.",
  fr: "Ceci est un exercice.",
  pl: "To jest ćwiczenie.",
  tr: "Bu bir tatbikattır.",
  ar: "هذا تمرين.",
  uk: "Це навчання.",
};

export const drillSentence = (language: Language) => DRILL_SENTENCE[language] ?? DRILL_SENTENCE.nl;

/** The SMS text as a drill sends it. */
export const drillText = (text: string, language: Language, drill: boolean) =>
  drill ? `${drillSentence(language)} ${text}` : text;
