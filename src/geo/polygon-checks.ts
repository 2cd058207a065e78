import { onSegment, pointInRing, ringArea2, ringCrossing, type Ring } from "./geometry.js";
import { polygonsOf, type GeoMultiPolygon, type GeoPolygon, type Problem } from "./geojson.js";

/**
 * Whether a polygon area read by geojson.ts can be targeted: rings closed, not crossing themselves, enclosing
 * something, holes inside their outline. Pure; the first problem found, its path a JSON pointer from the
 * geometry's `coordinates`.
 */
export function polygonProblem(area: GeoPolygon | GeoMultiPolygon): Problem | null {
  const multi = area.type === "MultiPolygon";
  const polygons = polygonsOf(area);
  for (let p = 0; p < polygons.length; p++) {
    const prefix = multi ? `/coordinates/${p}` : "/coordinates";
    const label = (r: number) => `${multi ? `MultiPolygon part ${p} ` : ""}ring ${r}`;
    const problem = ringsProblem(polygons[p], prefix, label);
    if (problem) return problem;
  }
  return null;
}

function ringsProblem(rings: Ring[], prefix: string, label: (r: number) => string): Problem | null {
  for (let r = 0; r < rings.length; r++) {
    const ring = rings[r];
    const last = ring.length - 1;
    if (ring[0][0] !== ring[last][0] || ring[0][1] !== ring[last][1])
      return {
        path: `${prefix}/${r}/${last}`,
        message: `${label(r)} is not closed: its last position (${last}) must equal its first`,
      };
    const crossing = ringCrossing(ring);
    if (crossing)
      return {
        path: `${prefix}/${r}/${crossing[0]}`,
        message: `${label(r)} crosses itself between positions ${crossing[0]} and ${crossing[1]}`,
      };
    if (ringArea2(ring) === 0) return { path: `${prefix}/${r}`, message: `${label(r)} encloses no area` };
  }
  const outline = rings[0];
  const inOrOn = (p: Ring[number]) =>
    pointInRing(p, outline) || outline.some((a, i) => i > 0 && onSegment(p, outline[i - 1], a));
  for (let r = 1; r < rings.length; r++) {
    const outside = rings[r].findIndex((p) => !inOrOn(p));
    if (outside >= 0)
      return {
        path: `${prefix}/${r}/${outside}`,
        message: `${label(r)} is a hole but its position ${outside} lies outside the outline (${label(0)})`,
      };
  }
  return null;
}

/** RFC 7946 §3.1.6: outlines counter-clockwise, holes clockwise. Either is accepted; this is the order kept. */
export function rewound<T extends GeoPolygon | GeoMultiPolygon>(area: T): T {
  const wind = (rings: Ring[]) =>
    rings.map((ring, r) => (ringArea2(ring) > 0 === (r === 0) ? ring : [...ring].reverse()));
  return (
    area.type === "Polygon"
      ? { type: "Polygon", coordinates: wind(area.coordinates) }
      : { type: "MultiPolygon", coordinates: area.coordinates.map(wind) }
  ) as T;
}
