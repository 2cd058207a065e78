export type SmsCommand =
  | { kind: "stop" }
  | { kind: "start" }
  | { kind: "erase" }
  | { kind: "info"; english: boolean }
  | { kind: "code"; code: string }
  | { kind: "move"; postcode: string }
  | { kind: "tip"; text: string };

/** Upper case without accents, punctuation at the ends or repeated spaces: " Stóp! " → "STOP". */
export function normaliseKeyword(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toUpperCase()
    .replace(/\s+/g, " ")
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
}

/** Dutch and English keywords, any case and accents; anything else is a tip. */
export function parseSms(body: string): SmsCommand {
  const word = normaliseKeyword(body);
  if (/^(STOP|STOPPEN|AFMELDEN)$/.test(word)) return { kind: "stop" };
  if (/^(START|AANMELDEN)$/.test(word)) return { kind: "start" };
  // Erasure (AVG art. 17): the number and everything tied to it go; see README, "Personal data".
  if (/^(WIS|WISSEN|ERASE)$/.test(word)) return { kind: "erase" };
  if (/^(INFO|HELP)$/.test(word)) return { kind: "info", english: word === "HELP" };
  if (/^\d{3} ?\d{3}$/.test(word)) return { kind: "code", code: word.replace(" ", "") };
  const move = /^VERHUIS(?: (.*))?$/.exec(word);
  if (move) return { kind: "move", postcode: move[1] ?? "" };
  return { kind: "tip", text: body.trim() };
}
