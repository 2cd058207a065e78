import type { AreaInput } from "../../src/alerts/area.js";
import type { Ring } from "../../src/geo/geometry.js";

export const DAM = { lat: 52.3731, lon: 4.8926 };

/** The circle of DESIGN §8: 2 km around the Dam, Amsterdam (~12,000 participants in the synthetic population). */
export const CITY_CIRCLE: AreaInput = { type: "circle", center: DAM, radiusMeters: 2_000 };

/**
 * An irregular octagon about 10 km across centred on the Dam, as an operator would draw around a city (~50,000
 * participants): vertices alternate between 5 km and 4.25 km from the centre.
 */
export function cityPolygon(center = DAM, acrossKm = 10): AreaInput {
  const rLat = (acrossKm * 500) / 111_320;
  const rLon = (acrossKm * 500) / (111_320 * Math.cos((center.lat * Math.PI) / 180));
  const ring: Ring = [];
  for (let i = 0; i < 8; i++) {
    const a = (i / 8) * 2 * Math.PI;
    const f = i % 2 ? 0.85 : 1;
    ring.push([
      Number((center.lon + Math.cos(a) * rLon * f).toFixed(5)),
      Number((center.lat + Math.sin(a) * rLat * f).toFixed(5)),
    ]);
  }
  ring.push(ring[0]);
  return { type: "Polygon", coordinates: [ring] };
}
