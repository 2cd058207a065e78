/**
 * The question an alert SMS ends with when the alert asks "are you nearby now?". A reply JA / YES (or NEE / NO) is
 * counted like the key pressed in a call (src/ivr/sms-routes.ts). Part of the body the 3-segment cap counts.
 */
const QUESTION: Record<string, string> = {
  nl: " Antwoord JA als u in de buurt bent.",
  en: " Reply YES if you are nearby.",
};

export function withPresenceQuestion(body: string, language: string, ask: boolean): string {
  return ask ? body + (QUESTION[language] ?? QUESTION.nl) : body;
}
