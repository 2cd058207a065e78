import { lookupPc4 } from "../geo/pc4.js";

/**
 * Where a tip goes when nothing ties it to a place (an unknown caller, no alert): the national default.
 * Midden-Nederland hosts the national operations; a configurable default would be better (see the IVR notes).
 */
export const DEFAULT_REGION = "RE03";

export function regionOfPostcode(postcode: string | null | undefined): string | undefined {
  return postcode ? lookupPc4(postcode.slice(0, 4))?.region : undefined;
}
