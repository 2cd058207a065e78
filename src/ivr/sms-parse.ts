import type { Language } from "../languages/languages.js";

export type SmsCommand =
  | { kind: "stop" }
  | { kind: "start" }
  | { kind: "erase" }
  | { kind: "info"; language?: Language }
  | { kind: "code"; code: string }
  | { kind: "move"; postcode: string }
  | { kind: "presence"; answer: "near" | "away"; text: string }
  | { kind: "drills"; on: boolean }
  | { kind: "tip"; text: string };

type Keyword = "stop" | "start" | "erase" | "info" | "move";

/**
 * The keywords of each language, as a participant would type them (normalised below, so "LÖSCHEN", "Löschen" and
 * "loschen" are one word). STOP, START and INFO work in every language: carriers and phones suggest them.
 */
const KEYWORDS: Record<Language, Record<Keyword, string[]>> = {
  nl: { stop: ["STOPPEN", "AFMELDEN"], start: ["AANMELDEN"], erase: ["WIS", "WISSEN"], info: [], move: ["VERHUIS"] },
  en: { stop: ["UNSUBSCRIBE"], start: ["SUBSCRIBE"], erase: ["ERASE"], info: ["HELP"], move: ["MOVE"] },
  de: { stop: ["STOPP", "ABMELDEN"], start: ["ANMELDEN"], erase: ["LÖSCHEN"], info: ["HILFE"], move: ["UMZUG"] },
  fr: {
    stop: ["ARRÊT", "ARRÊTER", "DÉSINSCRIRE"],
    start: ["INSCRIRE"],
    erase: ["EFFACER"],
    info: ["AIDE"],
    move: ["DÉMÉNAGEMENT"],
  },
  pl: { stop: ["WYPISZ"], start: ["ZAPISZ"], erase: ["USUŃ"], info: ["POMOC"], move: ["PRZEPROWADZKA"] },
  tr: { stop: ["DUR", "İPTAL"], start: ["BAŞLA"], erase: ["SİL"], info: ["YARDIM"], move: ["TAŞINMA"] },
  ar: { stop: ["توقف", "إلغاء"], start: ["ابدأ"], erase: ["امسح"], info: ["مساعدة"], move: ["انتقال"] },
  uk: { stop: ["СТОП", "ВІДПИСАТИСЯ"], start: ["СТАРТ"], erase: ["ВИДАЛИТИ"], info: ["ДОПОМОГА"], move: ["ПЕРЕЇЗД"] },
};
const EVERY_LANGUAGE: Record<Keyword, string[]> = {
  stop: ["STOP"],
  start: ["START"],
  erase: [],
  info: ["INFO"],
  move: [],
};

// Arabic-Indic and Persian digits as the ASCII digits a code or postcode is made of.
const DIGIT_BLOCKS = [0x0660, 0x06f0];
function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => {
    const code = d.charCodeAt(0);
    return String(code - DIGIT_BLOCKS.find((b) => code >= b && code <= b + 9)!);
  });
}

/**
 * Upper case without accents, bidi marks, punctuation at the ends or repeated spaces: " Stóp! " → "STOP",
 * "١٢٣ ٤٥٦" → "123 456". Turkish dotted İ and Ukrainian Ї lose their marks like any accent.
 */
export function normaliseKeyword(text: string): string {
  return asciiDigits(text)
    .normalize("NFD")
    .replace(/[\p{M}\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/gu, "")
    .toUpperCase()
    .replace(/\s+/g, " ")
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
}

/** Normalised keyword → what it asks, and the one language it belongs to (none for STOP, START and INFO). */
const TABLE = new Map<string, { keyword: Keyword; language?: Language }>();
for (const [keyword, words] of Object.entries(EVERY_LANGUAGE) as Array<[Keyword, string[]]>)
  for (const w of words) TABLE.set(normaliseKeyword(w), { keyword });
for (const [language, table] of Object.entries(KEYWORDS) as Array<[Language, Record<Keyword, string[]>]>)
  for (const [keyword, words] of Object.entries(table) as Array<[Keyword, string[]]>)
    for (const w of words) if (!TABLE.has(normaliseKeyword(w))) TABLE.set(normaliseKeyword(w), { keyword, language });

/**
 * Yes and no in each language the presence question is asked in (src/presence/sms-question.ts), normalised. Any of
 * them counts, whatever the participant's language (a Pole may answer JA). None is a keyword above: those win.
 */
const PRESENCE_ANSWERS = new Map<string, "near" | "away">([
  ...["JA", "YES", "OUI", "TAK", "EVET", "نعم", "ТАК"].map((w) => [normaliseKeyword(w), "near"] as const),
  ...["NEE", "NO", "NEIN", "NON", "NIE", "HAYIR", "لا", "НІ"].map((w) => [normaliseKeyword(w), "away"] as const),
]);

const POSTCODE = /^\d{4}(?: ?[A-Z]{2})?$/;

/**
 * A keyword of any of our languages, any case and accents; anything else is a tip. A move keyword takes the postcode
 * after it; VERHUIS takes anything (to answer how to use it), the others only a postcode, so that a tip beginning
 * with "Move" or "Umzug" stays a tip.
 */
export function parseSms(body: string): SmsCommand {
  const word = normaliseKeyword(body);
  const whole = TABLE.get(word);
  const [first, ...rest] = word.split(" ");
  const head = rest.length ? TABLE.get(first) : undefined;
  if (whole?.keyword === "move") return { kind: "move", postcode: "" };
  if (head?.keyword === "move" && (first === "VERHUIS" || POSTCODE.test(rest.join(" "))))
    return { kind: "move", postcode: rest.join(" ") };
  if (whole?.keyword === "info") return whole.language ? { kind: "info", language: whole.language } : { kind: "info" };
  // Erasure (AVG art. 17): the number and everything tied to it go; see README, "Personal data".
  if (whole) return { kind: whole.keyword };
  if (/^\d{3} ?\d{3}$/.test(word)) return { kind: "code", code: word.replace(" ", "") };
  // The answer to "Antwoord JA als u in de buurt bent" (a tip when no live alert asked it: sms-routes.ts).
  const presence = PRESENCE_ANSWERS.get(word);
  if (presence) return { kind: "presence", answer: presence, text: body.trim() };
  // Drills (practice alerts): OEFENING / DRILL to take part, OEFENING UIT / GEEN OEFENING / DRILL OFF to stop.
  if (/^(OEFENING|OEFENINGEN|DRILL|DRILLS)( AAN| ON)?$/.test(word)) return { kind: "drills", on: true };
  if (/^((OEFENING|OEFENINGEN|DRILL|DRILLS) (UIT|OFF)|GEEN OEFENINGEN?|NO DRILLS?)$/.test(word))
    return { kind: "drills", on: false };
  return { kind: "tip", text: body.trim() };
}

/** The language a keyword was written in, when only one of ours has it (so a stranger gets an answer in it). */
export function keywordLanguage(body: string): Language | undefined {
  const word = normaliseKeyword(body);
  return (TABLE.get(word) ?? TABLE.get(word.split(" ")[0]))?.language;
}
