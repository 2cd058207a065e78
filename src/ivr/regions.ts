import { lookupPc4 } from "../geo/pc4.js";

export function regionOfPostcode(postcode: string | null | undefined): string | undefined {
  return postcode ? lookupPc4(postcode.slice(0, 4))?.region : undefined;
}
