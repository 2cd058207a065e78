import { Errors, withDetails } from "../errors.js";
import { municipality, regionAt } from "../geo/boundaries.js";
import { bbox, centroid, ringSelfIntersects, type Ring } from "../geo/geometry.js";
import {
  circleRing,
  policeRegion,
  polygonFit,
  regionPolygonsNear,
  unitOfMunicipality,
  type Fit,
} from "../geo/region-fit.js";

export type AreaInput =
  | { type: "circle"; center: { lat: number; lon: number }; radiusMeters: number }
  | { type: "polygon"; coordinates: Ring[] }
  | { type: "municipality"; code: string };

/** An area ready for targeting: a circle, or polygons (outer ring + holes) in lon/lat. */
export interface ResolvedArea {
  center: { lat: number; lon: number };
  radiusMeters?: number;
  polygons?: Ring[][];
  box: { minLon: number; minLat: number; maxLon: number; maxLat: number };
}

export const MAX_VERTICES = 1000;
const NL_BOX = { minLon: 3.2, maxLon: 7.3, minLat: 50.7, maxLat: 53.7 };

function invalid(message: string, path = "area"): never {
  throw withDetails(new Errors.InvalidArea(message), { path });
}

function insideNlBox(lon: number, lat: number) {
  return lon >= NL_BOX.minLon && lon <= NL_BOX.maxLon && lat >= NL_BOX.minLat && lat <= NL_BOX.maxLat;
}

function checkRing(ring: Ring, path: string) {
  if (ring.length < 4) invalid("A polygon ring needs at least 4 positions (closed triangle)", path);
  const [first, last] = [ring[0], ring[ring.length - 1]];
  if (first[0] !== last[0] || first[1] !== last[1])
    invalid("The polygon ring is not closed: the last position must equal the first", path);
  for (const [lon, lat] of ring) {
    if (!insideNlBox(lon, lat)) {
      throw withDetails(new Errors.OutsideNetherlands(`Position ${lat},${lon}`), { path });
    }
  }
  if (ringSelfIntersects(ring)) invalid("The polygon ring intersects itself", path);
}

/** Validates an alert area and turns it into what the targeting query needs. */
export function resolveArea(area: AreaInput): ResolvedArea {
  if (area.type === "circle") {
    const { lat, lon } = area.center;
    if (!regionAt(lat, lon))
      throw withDetails(new Errors.OutsideNetherlands(`Centre ${lat},${lon}`), { path: "area/center" });
    const dLat = area.radiusMeters / 111_320;
    const dLon = area.radiusMeters / (111_320 * Math.cos((lat * Math.PI) / 180));
    return {
      center: { lat, lon },
      radiusMeters: area.radiusMeters,
      box: { minLon: lon - dLon, maxLon: lon + dLon, minLat: lat - dLat, maxLat: lat + dLat },
    };
  }
  if (area.type === "polygon") {
    const vertices = area.coordinates.reduce((n, r) => n + r.length, 0);
    if (vertices > MAX_VERTICES) invalid(`A polygon may have at most ${MAX_VERTICES} positions (got ${vertices})`);
    area.coordinates.forEach((ring, i) => checkRing(ring, `area/coordinates/${i}`));
    const center = centroid(area.coordinates[0]);
    if (!regionAt(center.lat, center.lon))
      throw withDetails(new Errors.OutsideNetherlands("The polygon"), { path: "area/coordinates" });
    return { center, polygons: [area.coordinates], box: bbox(area.coordinates[0]) };
  }
  const m = municipality(area.code);
  if (!m) invalid(`Unknown municipality code ${area.code} (CBS 2025, e.g. GM0363)`, "area/code");
  const outer = m.polygons.flatMap((p) => p[0]);
  const largest = m.polygons.reduce((a, b) => (b[0].length > a[0].length ? b : a));
  return { center: centroid(largest[0]), polygons: m.polygons, box: bbox(outer) };
}

/** How an area lies against the police unit it is sent for; `clip` when only the part inside is targeted. */
export interface UnitScope {
  code: string;
  fit: Fit;
  clip?: Ring[][];
}

/**
 * An area that crosses the unit's boundary is clipped to it (README, police units): only locations inside the
 * unit are targeted. A municipality belongs to the unit that holds it, whole, and is never clipped.
 */
export function scopeToUnit(input: AreaInput, area: ResolvedArea, code: string): UnitScope {
  if (input.type === "municipality")
    return { code, fit: unitOfMunicipality(input.code) === code ? "inside" : "outside" };
  const region = policeRegion(code);
  if (!region) return { code, fit: "outside" };
  const rings = area.polygons ?? [[circleRing(area.center, area.radiusMeters!)]];
  const fit = polygonFit(rings, region);
  return fit === "crossing" ? { code, fit, clip: regionPolygonsNear(region, area.box) } : { code, fit };
}

export function refuseOutside(scope: UnitScope) {
  if (scope.fit === "outside")
    throw withDetails(new Errors.AreaOutsideRegion(`The area lies outside police unit ${scope.code}`), {
      path: "body/area",
      region: scope.code,
    });
}
