import { municipality, policeRegions, type Area } from "./boundaries.js";
import { bbox, pointInPolygon, type Position, type Ring } from "./geometry.js";

/** How an alert area lies against a police unit. */
export type Fit = "inside" | "crossing" | "outside";

type Box = ReturnType<typeof bbox>;

export function policeRegion(code: string): Area | undefined {
  return policeRegions().find((r) => r.code === code);
}

function boxesMeet(a: Box, b: Box) {
  return a.minLon <= b.maxLon && b.minLon <= a.maxLon && a.minLat <= b.maxLat && b.minLat <= a.maxLat;
}

function cross(o: Position, a: Position, b: Position) {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

function within(a: number, b: number, c: number) {
  return Math.min(a, b) <= c && c <= Math.max(a, b);
}

/** Whether two segments share a point (planar lon/lat, as the SQL `<@ polygon` test); touching counts. */
function segmentsMeet(p1: Position, p2: Position, q1: Position, q2: Position) {
  const d1 = Math.sign(cross(q1, q2, p1));
  const d2 = Math.sign(cross(q1, q2, p2));
  const d3 = Math.sign(cross(p1, p2, q1));
  const d4 = Math.sign(cross(p1, p2, q2));
  if (d1 * d2 < 0 && d3 * d4 < 0) return true;
  const on = (a: Position, b: Position, c: Position) => within(a[0], b[0], c[0]) && within(a[1], b[1], c[1]);
  return (
    (d1 === 0 && on(q1, q2, p1)) ||
    (d2 === 0 && on(q1, q2, p2)) ||
    (d3 === 0 && on(p1, p2, q1)) ||
    (d4 === 0 && on(p1, p2, q2))
  );
}

function edges(rings: Ring[]): [Position, Position][] {
  return rings.flatMap((ring) => ring.slice(1).map((p, i) => [ring[i], p] as [Position, Position]));
}

/** Sutherland–Hodgman: the part of a ring inside an axis-aligned box (empty when none). */
function ringInBox(ring: Ring, box: Box): Ring {
  const edges: [(p: Position) => boolean, (a: Position, b: Position) => Position][] = [
    [(p) => p[0] >= box.minLon, (a, b) => atLon(a, b, box.minLon)],
    [(p) => p[0] <= box.maxLon, (a, b) => atLon(a, b, box.maxLon)],
    [(p) => p[1] >= box.minLat, (a, b) => atLat(a, b, box.minLat)],
    [(p) => p[1] <= box.maxLat, (a, b) => atLat(a, b, box.maxLat)],
  ];
  let out = ring.slice(0, -1);
  for (const [inside, cut] of edges) {
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const [cur, prev] = [input[i], input[(i + input.length - 1) % input.length]];
      if (inside(cur)) {
        if (!inside(prev)) out.push(cut(prev, cur));
        out.push(cur);
      } else if (inside(prev)) out.push(cut(prev, cur));
    }
  }
  return out.length < 3 ? [] : [...out, out[0]];
}

const atLon = (a: Position, b: Position, lon: number): Position => [
  lon,
  a[1] + ((b[1] - a[1]) * (lon - a[0])) / (b[0] - a[0]),
];
const atLat = (a: Position, b: Position, lat: number): Position => [
  a[0] + ((b[0] - a[0]) * (lat - a[1])) / (b[1] - a[1]),
  lat,
];

/**
 * The unit's polygons cut to (a margin around) the area's box: the same answer for every location the targeting
 * statement tests (they lie in the box), with far fewer edges to test each against.
 */
export function regionPolygonsNear(region: Area, box: Box): Ring[][] {
  const m = 0.001;
  const wide = { minLon: box.minLon - m, minLat: box.minLat - m, maxLon: box.maxLon + m, maxLat: box.maxLat + m };
  return region.polygons
    .filter((rings) => boxesMeet(bbox(rings[0]), wide))
    .map((rings) => rings.map((ring) => ringInBox(ring, wide)).filter((ring, i) => i === 0 || ring.length > 0))
    .filter((rings) => rings[0].length > 0);
}

/**
 * Polygons (outer ring + holes, lon/lat) against a unit: do any edges meet, is the area in, is part of the unit
 * in it.
 */
export function polygonFit(area: Ring[][], region: Area): Fit {
  const areaBox = bbox(area.flatMap((rings) => rings[0]));
  const near = regionPolygonsNear(region, areaBox);
  if (near.length === 0) return "outside";
  const areaEdges = area.flatMap(edges);
  const regionEdges = near.flatMap(edges);
  for (const [a, b] of areaEdges) for (const [c, d] of regionEdges) if (segmentsMeet(a, b, c, d)) return "crossing";
  // No edges meet: each ring lies wholly inside or wholly outside the other shape.
  const inArea = (p: Position) => area.some((rings) => pointInPolygon(p, rings));
  const unitPartInArea = near.some((rings) => rings.some((ring) => inArea(ring[0])));
  const partsInUnit = area.filter((rings) => near.some((r) => pointInPolygon(rings[0][0], r))).length;
  if (!unitPartInArea && partsInUnit === area.length) return "inside";
  if (!unitPartInArea && partsInUnit === 0) return "outside";
  return "crossing";
}

/** A circle (haversine radius) as a 64-gon slightly larger than it, so a crossing is never missed. */
export function circleRing(center: { lat: number; lon: number }, radiusMeters: number, sides = 64): Ring {
  const r = (radiusMeters * 1.002) / Math.cos(Math.PI / sides);
  const ring: Ring = [];
  for (let i = 0; i < sides; i++) {
    const a = (2 * Math.PI * i) / sides;
    const lat = center.lat + (r * Math.sin(a)) / 111_195;
    const lon = center.lon + (r * Math.cos(a)) / (111_195 * Math.cos((center.lat * Math.PI) / 180));
    ring.push([lon, lat]);
  }
  ring.push(ring[0]);
  return ring;
}

const municipalityUnits = new Map<string, string | null>();

/** The unit a municipality belongs to: the one that holds most of its boundary vertices. */
export function unitOfMunicipality(code: string): string | null {
  if (municipalityUnits.has(code)) return municipalityUnits.get(code)!;
  const m = municipality(code);
  let best: string | null = null;
  if (m) {
    const vertices = m.polygons.flatMap((rings) => rings[0].slice(1));
    let most = 0;
    for (const region of policeRegions()) {
      const n = vertices.filter((v) => region.polygons.some((rings) => pointInPolygon(v, rings))).length;
      if (n > most) [most, best] = [n, region.code];
    }
  }
  municipalityUnits.set(code, best);
  return best;
}
