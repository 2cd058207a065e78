import { isolateAny, isolateLtr, stripBidiControls } from "../languages/bidi.js";
import { RTL_LANGUAGES, type Language } from "../languages/languages.js";
import { fill } from "./placeholders.js";
import type { Vars } from "./script-types.js";

/**
 * An SMS answer from a script, filled in. In a right-to-left language each value (a phone number, a postcode, a
 * place) is isolated left to right and the Latin "Burgernet" kept out of the choice of direction, so that
 * "0900 8844" does not come out as "8844 0900" (src/languages/bidi.ts).
 */
export function smsReply(text: string, language: Language, vars: Vars): string {
  if (!RTL_LANGUAGES.has(language)) return fill(text, vars);
  const isolated = Object.fromEntries(
    Object.entries(vars).map(([k, v]) => [k, v === undefined ? v : isolateLtr(stripBidiControls(v))]),
  ) as Vars;
  return fill(text, isolated).replace(/^Burgernet\b/, isolateAny("Burgernet"));
}
