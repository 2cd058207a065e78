import { readFileSync } from "node:fs";

export interface Pc4 {
  pc4: string;
  lat: number;
  lon: number;
  place: string;
  gmCode: string;
  gmName: string;
  region: string;
}

let table: Map<string, Pc4> | undefined;

/** The PC4 centroid table shipped in src/geo/data (GeoNames + CBS, CC BY 4.0; see ATTRIBUTION.md). */
export function pc4Table(): Map<string, Pc4> {
  if (table) return table;
  const lines = readFileSync(new URL("./data/pc4.csv", import.meta.url), "utf8")
    .trim()
    .split("\n")
    .slice(1);
  table = new Map();
  for (const line of lines) {
    const [pc4, lat, lon, place, gmCode, gmName, region] = line.split(",");
    table.set(pc4, { pc4, lat: Number(lat), lon: Number(lon), place, gmCode, gmName, region });
  }
  return table;
}

/** `1234 AB`, `1234AB` or `1234` → `{ pc4: "1234", normalised: "1234 AB" }`; null when malformed. */
export function parsePostcode(input: string): { pc4: string; normalised: string } | null {
  const m = /^\s*([1-9][0-9]{3})\s?([A-Za-z]{2})?\s*$/.exec(input);
  if (!m) return null;
  const letters = m[2]?.toUpperCase();
  // SA, SD and SS are never issued as Dutch postcode letters.
  if (letters && ["SA", "SD", "SS"].includes(letters)) return null;
  return { pc4: m[1], normalised: letters ? `${m[1]} ${letters}` : m[1] };
}

export function lookupPc4(pc4: string): Pc4 | undefined {
  return pc4Table().get(pc4);
}

/** Find the PC4 whose place name matches (case-insensitive), e.g. for the demo's --town. */
export function pc4sOfPlace(place: string): Pc4[] {
  const wanted = place.toLowerCase();
  return [...pc4Table().values()].filter((p) => p.place.toLowerCase() === wanted || p.gmName.toLowerCase() === wanted);
}
