/**
 * The question an alert SMS ends with when the alert asks "are you nearby now?". A reply in the participant's
 * language (JA / NEE, YES / NO, TAK / NIE ...: src/ivr/sms-parse.ts) is counted like the key pressed in a call
 * (src/ivr/sms-routes.ts). Part of the body the 3-segment cap counts. Written like the voice scripts (same author,
 * not yet reviewed by a native speaker: see voice-scripts/*.json "translation").
 */
const QUESTION: Record<string, string> = {
  nl: " Antwoord JA als u in de buurt bent.",
  en: " Reply YES if you are nearby.",
  de: " Antworten Sie JA, wenn Sie in der Nähe sind.",
  fr: " Répondez OUI si vous êtes à proximité.",
  pl: " Odpowiedz TAK, jeśli jesteś w pobliżu.",
  tr: " Yakındaysanız EVET diye yanıt verin.",
  ar: " أرسلوا نعم إذا كنتم في المنطقة.",
  uk: " Надішліть ТАК, якщо ви поблизу.",
};

export function withPresenceQuestion(body: string, language: string, ask: boolean): string {
  return ask ? body + (QUESTION[language] ?? QUESTION.nl) : body;
}
