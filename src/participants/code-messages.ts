import { isolateLtr } from "../languages/bidi.js";
import type { Language } from "../languages/languages.js";

/** The digits read one by one, with a pause between them. */
const spoken = (code: string) => code.split("").join(", ");

// Spoken by the language's own voice: "Burgernet" in its script, so that a Ukrainian or Arabic voice says the name.
const SPEECH: Record<Language, (c: string) => string> = {
  nl: (c) => `Dit is Burgernet. Uw code is: ${c}. Ik herhaal: ${c}.`,
  en: (c) => `This is Burgernet. Your code is: ${c}. Again: ${c}.`,
  de: (c) => `Hier ist Burgernet. Ihr Code lautet: ${c}. Ich wiederhole: ${c}.`,
  fr: (c) => `Ici Burgernet. Votre code est : ${c}. Je répète : ${c}.`,
  pl: (c) => `Tu Burgernet. Twój kod to: ${c}. Powtarzam: ${c}.`,
  tr: (c) => `Burası Burgernet. Kodunuz: ${c}. Tekrar ediyorum: ${c}.`,
  ar: (c) => `هنا بورغرنت. رمزك هو: ${c}. أكرر: ${c}.`,
  uk: (c) => `Це Бургернет. Ваш код: ${c}. Повторюю: ${c}.`,
};

const TEXT: Record<Language, (c: string) => string> = {
  nl: (c) => `Uw Burgernet-code is ${c}. De code is 10 minuten geldig.`,
  en: (c) => `Your Burgernet code is ${c}. It is valid for 10 minutes.`,
  de: (c) => `Ihr Burgernet-Code lautet ${c}. Er ist 10 Minuten gültig.`,
  fr: (c) => `Votre code Burgernet est ${c}. Il est valable 10 minutes.`,
  pl: (c) => `Twój kod Burgernet to ${c}. Jest ważny przez 10 minut.`,
  tr: (c) => `Burgernet kodunuz: ${c}. Kod 10 dakika geçerlidir.`,
  ar: (c) => `رمز Burgernet الخاص بك هو ${isolateLtr(c)}. الرمز صالح لمدة 10 دقائق.`,
  uk: (c) => `Ваш код Burgernet: ${c}. Він дійсний 10 хвилин.`,
};

/** The registration code read out to a landline, in the participant's language. */
export function codeSpeech(language: Language, code: string): string {
  return SPEECH[language](spoken(code));
}

/** The registration code by SMS, in the participant's language. */
export function codeText(language: Language, code: string): string {
  return TEXT[language](code);
}
