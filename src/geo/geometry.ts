/** Plain geometry on lon/lat; planar for polygons (FACTS: differs from geodesic by a few edge rows). */
export type Position = [number, number]; // [lon, lat] as in GeoJSON
export type Ring = Position[];

export const EARTH_RADIUS_M = 6_371_008.8;

/** A ring as PostgreSQL polygon text, `((lon,lat),…)`, for targeting and the units' boundaries alike (`<@`). */
export function pgPolygon(ring: Ring): string {
  return `(${ring.map(([lon, lat]) => `(${lon},${lat})`).join(",")})`;
}

export function haversineMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

export function pointInRing([x, y]: Position, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    // A point on an edge is inside on the west and south sides, outside on the east and north: two areas that share
    // a border never both hold it. (`x >=` counts the crossings on the other side: the same parity, the same rule.)
    // Stryker disable next-line EqualityOperator
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** A GeoJSON polygon: inside the outer ring and outside every hole. */
export function pointInPolygon(p: Position, rings: Ring[]): boolean {
  return pointInRing(p, rings[0]) && !rings.slice(1).some((hole) => pointInRing(p, hole));
}

/** Which way a → b → c turns (-1, 0 on one line, 1); only ever compared with another turn. */
function orientation(a: Position, b: Position, c: Position): number {
  return Math.sign((b[1] - a[1]) * (c[0] - b[0]) - (b[0] - a[0]) * (c[1] - b[1]));
}

function segmentsCross(p1: Position, q1: Position, p2: Position, q2: Position): boolean {
  const o1 = orientation(p1, q1, p2);
  const o2 = orientation(p1, q1, q2);
  const o3 = orientation(p2, q2, p1);
  const o4 = orientation(p2, q2, q1);
  return o1 !== o2 && o3 !== o4;
}

/**
 * The first two edges of a closed ring that cross, as the indices of their first positions (edge i runs from
 * position i to i + 1), or null. Edges that share a position (neighbours, or around a repeated position) only
 * touch. O(n²): fine for the ≤ 1,000 positions an alert area may have.
 */
export function ringCrossing(ring: Ring): [number, number] | null {
  const n = ring.length - 1; // closed: last equals first
  const same = (a: Position, b: Position) => a[0] === b[0] && a[1] === b[1];
  // Stryker disable next-line EqualityOperator,ArithmeticOperator: the bounds only add pairs that share a position.
  for (let i = 0; i < n; i++) {
    // Stryker disable next-line ArithmeticOperator: likewise
    for (let j = i + 1; j < n; j++) {
      const [a, b, c, d] = [ring[i], ring[i + 1], ring[j], ring[j + 1]];
      if (same(a, c) || same(a, d) || same(b, c) || same(b, d)) continue; // they share a position
      if (segmentsCross(a, b, c, d)) return [i, j];
    }
  }
  return null;
}

export function ringSelfIntersects(ring: Ring): boolean {
  return ringCrossing(ring) !== null;
}

/** Twice the signed planar area of a closed ring: positive when counter-clockwise. */
export function ringArea2(ring: Ring): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return sum;
}

/** Whether p lies on the edge a–b (within rounding). */
export function onSegment(p: Position, a: Position, b: Position): boolean {
  const cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
  const span = Math.hypot(b[0] - a[0], b[1] - a[1]);
  if (Math.abs(cross) > 1e-12 * Math.max(span, 1e-12)) return false;
  const within = (u: number, v: number, w: number) => Math.min(u, v) - 1e-12 <= w && w <= Math.max(u, v) + 1e-12;
  return within(a[0], b[0], p[0]) && within(a[1], b[1], p[1]);
}

export function bbox(ring: Ring): { minLon: number; minLat: number; maxLon: number; maxLat: number } {
  let minLon = Infinity,
    minLat = Infinity,
    maxLon = -Infinity,
    maxLat = -Infinity;
  for (const [lon, lat] of ring) {
    minLon = Math.min(minLon, lon);
    maxLon = Math.max(maxLon, lon);
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
  }
  return { minLon, minLat, maxLon, maxLat };
}

export function centroid(ring: Ring): { lat: number; lon: number } {
  const pts = ring.slice(0, -1);
  return {
    lon: pts.reduce((s, p) => s + p[0], 0) / pts.length,
    lat: pts.reduce((s, p) => s + p[1], 0) / pts.length,
  };
}
