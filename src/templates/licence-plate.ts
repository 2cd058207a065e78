/**
 * Dutch licence plates as the RDW writes them. Each sidecode is a pattern of letter (L) and digit (D) groups; the
 * six characters alone decide which one applies (no two sidecodes share a letter/digit sequence), so "12abc3",
 * "12 ABC 3" and "12-abc-3" all become "12-ABC-3" (sidecode 7). Sidecodes 1–14, the ones issued since 1951.
 */
const BY_SHAPE = new Map<string, { sidecode: number; groups: number[] }>();
for (const [sidecode, pattern] of [
  [1, "LL-DD-DD"],
  [2, "DD-DD-LL"],
  [3, "DD-LL-DD"],
  [4, "LL-DD-LL"],
  [5, "LL-LL-DD"],
  [6, "DD-LL-LL"],
  [7, "DD-LLL-D"],
  [8, "D-LLL-DD"],
  [9, "LL-DDD-L"],
  [10, "L-DDD-LL"],
  [11, "LLL-DD-L"],
  [12, "L-DD-LLL"],
  [13, "D-LL-DDD"],
  [14, "DDD-LL-D"],
] as const) {
  BY_SHAPE.set(pattern.replace(/-/g, ""), { sidecode, groups: pattern.split("-").map((g) => g.length) });
}

export interface LicencePlate {
  /** As the RDW writes it: capitals, groups joined by dashes ("12-ABC-3"). */
  written: string;
  sidecode: number;
  groups: string[];
}

/** A plate typed any way (spaces, dashes, lower case), or null when it is no Dutch sidecode 1–14 plate. */
export function parseLicencePlate(input: string): LicencePlate | null {
  const plain = input.replace(/[\s-]/g, "").toUpperCase();
  // Any other character, or another length, gives a shape no sidecode has.
  const shape = plain.replace(/[A-Z]/g, "L").replace(/[0-9]/g, "D");
  const code = BY_SHAPE.get(shape);
  if (!code) return null;
  const groups: string[] = [];
  let at = 0;
  for (const n of code.groups) {
    groups.push(plain.slice(at, at + n));
    at += n;
  }
  return { written: groups.join("-"), sidecode: code.sidecode, groups };
}

/**
 * The plate in a voice text: SSML the call renderer turns into what the chosen voice can spell (src/ivr/ssml.ts).
 * Stored in this form so that the text does not depend on the voice a participant's language uses.
 */
export function spokenPlateMarkup(plate: LicencePlate): string {
  return `<say-as interpret-as="spell-out">${plate.written}</say-as>`;
}
