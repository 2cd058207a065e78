import { PLACEHOLDERS, type Placeholder, type Vars } from "./script-types.js";

const PATTERN = /\{([A-Za-z]+)\}/g;
const KNOWN = new Set<string>(PLACEHOLDERS);

/** Names used in a text, in order of appearance. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PATTERN)].map((m) => m[1]);
}

export function isPlaceholder(name: string): name is Placeholder {
  return KNOWN.has(name);
}

/**
 * Fills a script text. A missing value is a programming error (the loader has checked that each text only uses
 * what its step provides), so it throws rather than reading "{alertText}" to a citizen.
 */
export function fill(text: string, vars: Vars): string {
  return text.replace(PATTERN, (_whole, name: string) => {
    const value = vars[name as Placeholder];
    if (value === undefined) throw new Error(`no value for {${name}}`);
    return value;
  });
}
