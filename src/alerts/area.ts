import { Errors, withDetails } from "../errors.js";
import { municipality, regionAt } from "../geo/boundaries.js";
import { bbox, centroid, type Ring } from "../geo/geometry.js";
import { polygonsOf, readArea, type Area, type AreaInput } from "../geo/geojson.js";
import { polygonProblem, rewound } from "../geo/polygon-checks.js";
import {
  circleRing,
  policeRegion,
  polygonFit,
  regionPolygonsNear,
  unitOfMunicipality,
  type Fit,
} from "../geo/region-fit.js";

export type { Area, AreaInput } from "../geo/geojson.js";
export { MAX_VERTICES } from "../geo/geojson.js";

/** An area ready for targeting: a circle, or polygons (outer ring + holes) in lon/lat. */
export interface ResolvedArea {
  center: { lat: number; lon: number };
  radiusMeters?: number;
  polygons?: Ring[][];
  box: { minLon: number; minLat: number; maxLon: number; maxLat: number };
  /** The area as kept and answered: GeoJSON (RFC 7946 winding) for polygons. */
  stored: Area;
  /** The request path of the geometry: `body/area`, `body/area/geometry`, … */
  path: string;
}

const NL_BOX = { minLon: 3.2, maxLon: 7.3, minLat: 50.7, maxLat: 53.7 };

function insideNlBox([lon, lat]: [number, number]) {
  return lon >= NL_BOX.minLon && lon <= NL_BOX.maxLon && lat >= NL_BOX.minLat && lat <= NL_BOX.maxLat;
}

/** A [lat, lon] sent as [lon, lat] lands in the Indian Ocean or Iran: say so. */
const swapHint = ([lon, lat]: [number, number]) =>
  insideNlBox([lat, lon]) ? " (GeoJSON positions are [lon, lat]; these look like [lat, lon])" : "";

function outsideNl(what: string, path: string): never {
  throw withDetails(new Errors.OutsideNetherlands(what), { path });
}

/** A part lies in the Netherlands when its centre or one of (a sample of) its outline's positions does. */
function partInNl(rings: Ring[]) {
  const c = centroid(rings[0]);
  if (regionAt(c.lat, c.lon)) return true;
  const step = Math.max(1, Math.floor(rings[0].length / 50));
  return rings[0].some((p, i) => i % step === 0 && regionAt(p[1], p[0]) !== null);
}

function resolvePolygons(area: Extract<Area, { type: "Polygon" | "MultiPolygon" }>, path: string): ResolvedArea {
  const problem = polygonProblem(area);
  if (problem) throw withDetails(new Errors.InvalidArea(capitalised(problem.message)), { path: path + problem.path });
  const polygons = polygonsOf(area);
  const multi = area.type === "MultiPolygon";
  polygons.forEach((rings, p) => {
    const partPath = multi ? `${path}/coordinates/${p}` : `${path}/coordinates`;
    rings.forEach((ring, r) =>
      ring.forEach((pos, i) => {
        if (!insideNlBox(pos))
          outsideNl(
            `${multi ? `Part ${p} ring` : "Ring"} ${r} position ${i} ${JSON.stringify(pos)}${swapHint(pos)}`,
            `${partPath}/${r}/${i}`,
          );
      }),
    );
    if (!partInNl(rings)) outsideNl(multi ? `MultiPolygon part ${p}` : "The polygon", partPath);
  });
  const largest = polygons.reduce((a, b) => (b[0].length > a[0].length ? b : a));
  return {
    center: centroid(largest[0]),
    polygons,
    box: bbox(polygons.flatMap((rings) => rings[0])),
    stored: rewound(area),
    path,
  };
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Validates an alert area and turns it into what the targeting query needs. */
export function resolveArea(input: AreaInput): ResolvedArea {
  const read = readArea(input);
  if (!read.ok) throw withDetails(new Errors.Validation(capitalised(read.message)), { path: `body/area${read.path}` });
  const { area } = read;
  const path = `body/area${read.pointer}`;
  if (area.type === "Polygon" || area.type === "MultiPolygon") return resolvePolygons(area, path);
  if (area.type === "circle") {
    const { lat, lon } = area.center;
    if (!regionAt(lat, lon)) outsideNl(`Centre ${lat},${lon}`, `${path}/center`);
    const dLat = area.radiusMeters / 111_320;
    const dLon = area.radiusMeters / (111_320 * Math.cos((lat * Math.PI) / 180));
    return {
      center: { lat, lon },
      radiusMeters: area.radiusMeters,
      box: { minLon: lon - dLon, maxLon: lon + dLon, minLat: lat - dLat, maxLat: lat + dLat },
      stored: area,
      path,
    };
  }
  const m = municipality(area.code);
  if (!m)
    throw withDetails(new Errors.InvalidArea(`Unknown municipality code ${area.code} (CBS 2025, e.g. GM0363)`), {
      path: `${path}/code`,
    });
  const outer = m.polygons.flatMap((p) => p[0]);
  const largest = m.polygons.reduce((a, b) => (b[0].length > a[0].length ? b : a));
  return { center: centroid(largest[0]), polygons: m.polygons, box: bbox(outer), stored: area, path };
}

/** A unit's code, and its polygons cut to near the area for the locations that do not know their unit. */
export interface UnitClip {
  unit: string;
  polygons: Ring[][];
}

/** How an area lies against the police unit it is sent for; `clip` when only the part inside is targeted. */
export interface UnitScope {
  code: string;
  fit: Fit;
  clip?: UnitClip;
  /** Refused: the MultiPolygon part that lies wholly outside the unit. */
  outsidePart?: { index: number; path: string };
}

/**
 * An area that crosses the unit's boundary is clipped to it (README, police units): only locations inside the
 * unit are targeted. A municipality belongs to the unit that holds it, whole, and is never clipped. Each part of a
 * MultiPolygon must reach into the unit: a part wholly outside would reach nobody, and is refused.
 */
export function scopeToUnit(area: ResolvedArea, code: string): UnitScope {
  const { stored } = area;
  if (stored.type === "municipality")
    return { code, fit: unitOfMunicipality(stored.code) === code ? "inside" : "outside" };
  const region = policeRegion(code);
  if (!region) return { code, fit: "outside" };
  const parts = area.polygons ?? [[circleRing(area.center, area.radiusMeters!)]];
  const fits = parts.map((rings) => polygonFit([rings], region));
  if (fits.every((f) => f === "outside")) return { code, fit: "outside" };
  const outside = fits.indexOf("outside");
  if (outside >= 0)
    return { code, fit: "outside", outsidePart: { index: outside, path: `${area.path}/coordinates/${outside}` } };
  return fits.every((f) => f === "inside")
    ? { code, fit: "inside" }
    : { code, fit: "crossing", clip: { unit: code, polygons: regionPolygonsNear(region, area.box) } };
}

export function refuseOutside(scope: UnitScope) {
  if (scope.fit !== "outside") return;
  const part = scope.outsidePart;
  const message = part
    ? `MultiPolygon part ${part.index} lies outside ${scope.code}`
    : `The area lies outside police unit ${scope.code}`;
  throw withDetails(new Errors.AreaOutsideRegion(message), { path: part?.path ?? "body/area", region: scope.code });
}
