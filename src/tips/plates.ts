import { parseLicencePlate } from "../templates/licence-plate.js";

/**
 * Dutch licence plates in a tip, typed ("12-ABC-3", "12abc3") or spoken ("twaalf a b c drie", "één twee a b c
 * drie", "twelve a b c three"), normalised to the RDW form with dashes ("12-ABC-3"): RDW sidecodes 1–14, by the
 * templates' own table (src/templates/licence-plate.ts).
 */

/** "12ABC3" → "12-ABC-3" when it fits a sidecode, otherwise null. */
export function formatPlate(plain: string): string | null {
  return /^[A-Za-z0-9]{6}$/.test(plain) ? (parseLicencePlate(plain)?.written ?? null) : null;
}

// Stryker disable StringLiteral: vocabularies; each word is data that the examples in the tests sample, not a rule.
const UNITS_NL = ["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"];
const UNITS_EN = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
const TEENS_NL = [
  "tien",
  "elf",
  "twaalf",
  "dertien",
  "veertien",
  "vijftien",
  "zestien",
  "zeventien",
  "achttien",
  "negentien",
];
const TEENS_EN = [
  "ten",
  "eleven",
  "twelve",
  "thirteen",
  "fourteen",
  "fifteen",
  "sixteen",
  "seventeen",
  "eighteen",
  "nineteen",
];
// From twenty on: 20, 30, … 90.
const TENS_NL = ["twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig"];
const TENS_EN = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
// Stryker restore StringLiteral

const NUMBERS = new Map<string, string>();
UNITS_NL.forEach((w, i) => NUMBERS.set(w, String(i)));
UNITS_EN.forEach((w, i) => NUMBERS.set(w, String(i)));
NUMBERS.set("oh", "0");
TEENS_NL.forEach((w, i) => NUMBERS.set(w, String(10 + i)));
TEENS_EN.forEach((w, i) => NUMBERS.set(w, String(10 + i)));
TENS_NL.forEach((tens, i) => {
  const t = 20 + i * 10;
  NUMBERS.set(tens, String(t));
  // Dutch says the unit first, joined by "en" ("eenentwintig", "drieënveertig" once the accents are folded).
  UNITS_NL.slice(1).forEach((unit, u) => NUMBERS.set(`${unit}en${tens}`, String(t + 1 + u)));
});
TENS_EN.forEach((tens, i) => NUMBERS.set(tens, String(20 + i * 10)));

/**
 * Dutch letter names as a recogniser writes them out; single letters stand for themselves. "en" (N) is left out:
 * it is the word "and" far more often.
 */
// Stryker disable StringLiteral,ObjectLiteral: vocabularies, as above.
const LETTER_NAMES: Record<string, string> = {
  bee: "B",
  cee: "C",
  dee: "D",
  ef: "F",
  gee: "G",
  ha: "H",
  haa: "H",
  ie: "I",
  jee: "J",
  ka: "K",
  kaa: "K",
  el: "L",
  em: "M",
  pee: "P",
  ku: "Q",
  kuu: "Q",
  er: "R",
  es: "S",
  tee: "T",
  wee: "W",
  iks: "X",
  ij: "Y",
  zet: "Z",
};

/** Common two- and three-letter words (nl, en) that are never read as a plate's letters unless typed in capitals. */
const SHORT_WORDS = new Set(
  (
    "de het een en op in is er te om zag bij van met man die dat wat nog al ik je we ze hij zij was of aan uit toe " +
    "tot ook nu ja nee hem ons die dus zo wel the and an on at he she saw car red his her it to by my me we us no " +
    "yes was are had has not but for you him our one two six ten"
  ).split(" "),
);
// Stryker restore StringLiteral,ObjectLiteral

/** Folds accents and the Dutch diaeresis ("één" → "een", "drieënveertig" → "drieenveertig"). */
const fold = (word: string) =>
  word
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();

interface Piece {
  text: string;
  /** A spelled-out tens word that a following unit word completes ("twenty" "one" → 21). */
  tens?: boolean;
  /** Four typed digits: with two letters after them a postcode ("1012 AB"), not sidecode 2 ("10-12-AB"). */
  postcodeDigits?: boolean;
}

function pieceOf(raw: string): Piece | null {
  const word = fold(raw);
  const plain = word.replace(/[-.]/g, "");
  if (/^[a-z]$/.test(word)) return { text: word.toUpperCase() };
  const number = NUMBERS.get(word);
  if (number !== undefined) return { text: number, tens: TENS_EN.includes(word) };
  if (LETTER_NAMES[word]) return { text: LETTER_NAMES[word] };
  // Typed: letters and digits with dashes or dots between the groups ("12-abc-3", "12.ABC.3"). Short words of
  // letters alone count unless they are common words ("de 12 ab 34" is 12-AB-34, not DE-12-AB).
  if (!/^[a-z0-9]{1,6}$/.test(plain) || /^\d{4}[a-z]{2}$/.test(word)) return null;
  if (/^\d{4}$/.test(word)) return { text: word, postcodeDigits: true };
  if (/\d/.test(plain) || /^[A-Z]{2,3}$/.test(raw) || (/^[a-z]{2,3}$/.test(plain) && !SHORT_WORDS.has(plain)))
    return { text: plain }; // formatPlate writes it in capitals
  return null;
}

/** Runs of words that could be parts of a plate, with spoken numbers read as digits. */
function runsOf(text: string): Piece[][] {
  // Stryker disable ArrayDeclaration: an element that is no piece (a string) never joins into a plate.
  const runs: Piece[][] = [];
  let run: Piece[] = [];
  const flush = () => {
    runs.push(run); // an empty run names nothing
    run = [];
  };
  // Stryker restore ArrayDeclaration
  for (const raw of text.split(/[\s,;:!?()"'/]+|\.(?=\s|$)/)) {
    const piece = raw ? pieceOf(raw) : null;
    if (!piece) {
      flush();
      continue;
    }
    const last = run.at(-1);
    if (last?.tens && /^[1-9]$/.test(piece.text) && !piece.tens) {
      run[run.length - 1] = { text: String(Number(last.text) + Number(piece.text)) };
      continue;
    }
    run.push(piece);
  }
  flush();
  return runs;
}

/** Every distinct plate named in the text, in the order named. A plate starts and ends on word boundaries. */
export function platesIn(text: string | null | undefined): string[] {
  if (!text) return [];
  const found: string[] = [];
  for (const run of runsOf(text)) {
    // Stryker disable next-line EqualityOperator: a start at the run's end joins nothing.
    for (let start = 0; start < run.length; start++) {
      let joined = "";
      // Stryker disable next-line ConditionalExpression,EqualityOperator: past six characters no plate can follow.
      for (let end = start; end < run.length && joined.length < 6; end++) {
        joined += run[end].text;
        const postcode = run[start].postcodeDigits && end === start + 1;
        const plate = postcode ? null : formatPlate(joined);
        if (plate) {
          if (!found.includes(plate)) found.push(plate);
          start = end;
          break;
        }
      }
    }
  }
  return found;
}
