import type { Flag, Menu, MenuOption } from "./script-types.js";
import { visibleOptions } from "./verbs.js";

/** Lower case, accents and punctuation gone, single spaces: "Ja, ik héb iets gezien!" → "ja ik heb iets gezien". */
export function normaliseText(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

// Speech recognisers write a lone key as a word as often as a digit.
const NUMBER_WORDS: Record<string, string> = {
  nul: "0",
  een: "1",
  twee: "2",
  drie: "3",
  vier: "4",
  vijf: "5",
  zes: "6",
  zeven: "7",
  acht: "8",
  negen: "9",
  zero: "0",
  one: "1",
  two: "2",
  three: "3",
  four: "4",
  five: "5",
  six: "6",
  seven: "7",
  eight: "8",
  nine: "9",
};

export interface Answer {
  digits?: string;
  speech?: string;
  confidence?: number;
}

/** The answer as Twilio posts it to a Gather action. */
export function answerOf(params: Record<string, string>): Answer {
  const confidence = params.Confidence === undefined ? undefined : Number(params.Confidence);
  return {
    digits: params.Digits || undefined,
    speech: params.SpeechResult?.trim() || undefined,
    confidence: Number.isFinite(confidence) ? confidence : undefined,
  };
}

/**
 * The menu option an answer chooses, among the options offered with these flags. For speech, the option whose
 * phrase comes first in the answer wins ("ja, ik heb iets gezien" → the option with "gezien").
 */
export function chooseOption(
  menu: Menu,
  flags: ReadonlySet<Flag>,
  answer: Answer,
  minConfidence: number,
): MenuOption | undefined {
  const options = visibleOptions(menu, flags);
  if (answer.digits) return options.find((o) => o.key === answer.digits);
  if (!answer.speech || (answer.confidence ?? 1) < minConfidence) return undefined;
  const said = normaliseText(answer.speech);
  const key = NUMBER_WORDS[said] ?? said;
  const byKey = options.find((o) => o.key === key);
  if (byKey) return byKey;
  const padded = ` ${said} `;
  let best: { option: MenuOption; at: number } | undefined;
  for (const option of options) {
    for (const phrase of option.speech) {
      const at = padded.indexOf(` ${normaliseText(phrase)} `);
      if (at >= 0 && (!best || at < best.at)) best = { option, at };
    }
  }
  return best?.option;
}
