import { readFileSync } from "node:fs";
import { policeRegions, regionAt } from "../geo/boundaries.js";
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

function outerRings(g: Geometry): Ring[] {
  return g.type === "Polygon" ? [g.coordinates[0]] : g.coordinates.map((p) => p[0]);
}

/**
 * The police unit a municipality belongs to, by a vote of its vertices: CBS draws both layers from the same
 * borders, so a vertex on the shared border may fall either way, but the inner ones agree.
 */
function unitOf(g: Geometry): string | null {
  const votes = new Map<string, number>();
  for (const ring of outerRings(g)) {
    for (const [lon, lat] of ring) {
      const code = regionAt(lat, lon);
      if (code) votes.set(code, (votes.get(code) ?? 0) + 1);
    }
  }
  let best: string | null = null;
  for (const [code, n] of votes) if (best === null || n > votes.get(best)!) best = code;
  return best;
}

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
      const unit = unitOf(f.geometry);
      if (unit) byUnit.get(unit)!.push(feature(f));
    }
    for (const list of byUnit.values()) list.sort((a, b) => a.properties.name.localeCompare(b.properties.name, "nl"));
  }
  return byUnit.get(code) ?? [];
}
