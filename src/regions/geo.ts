import { readFileSync } from "node:fs";
import { policeRegions } from "../geo/boundaries.js";
import { unitOfMunicipality } from "../geo/region-fit.js";
import type { Ring } from "../geo/geometry.js";

type Geometry = { type: "Polygon"; coordinates: Ring[] } | { type: "MultiPolygon"; coordinates: Ring[][] };
interface SourceFeature {
  properties: { statcode: string; statnaam: string };
  geometry: Geometry;
}
export interface RegionFeature {
  type: "Feature";
  properties: { code: string; name: string };
  geometry: Geometry;
}

function read(file: string): SourceFeature[] {
  const url = new URL(`../geo/data/${file}`, import.meta.url);
  return (JSON.parse(readFileSync(url, "utf8")) as { features: SourceFeature[] }).features;
}

const feature = (f: SourceFeature): RegionFeature => ({
  type: "Feature",
  properties: { code: f.properties.statcode, name: f.properties.statnaam },
  geometry: f.geometry,
});

let byUnit: Map<string, RegionFeature[]> | undefined;
let units: Map<string, RegionFeature> | undefined;

/** A police unit's boundary (CBS 2025), or undefined for an unknown code. */
export function unitBoundary(code: string): RegionFeature | undefined {
  units ??= new Map(read("regionale_eenheid_2025.geojson").map((f) => [f.properties.statcode, feature(f)]));
  return units.get(code);
}

/** The municipalities of a police unit, sorted by name (computed once, ~50 ms). */
export function unitMunicipalities(code: string): RegionFeature[] {
  if (!byUnit) {
    byUnit = new Map(policeRegions().map((r) => [r.code, [] as RegionFeature[]]));
    for (const f of read("gemeente_2025.geojson")) {
      const unit = unitOfMunicipality(f.properties.statcode);
      if (unit) byUnit.get(unit)!.push(feature(f));
    }
    for (const list of byUnit.values()) list.sort((a, b) => a.properties.name.localeCompare(b.properties.name, "nl"));
  }
  return byUnit.get(code) ?? [];
}
