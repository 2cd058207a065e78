import type { AreaInput, RegionDetail } from "./api.js";

type Ring = number[][];

function mean(ring: Ring) {
  const pts = ring.slice(0, -1);
  return {
    lat: pts.reduce((s, p) => s + p[1], 0) / pts.length,
    lng: pts.reduce((s, p) => s + p[0], 0) / pts.length,
  };
}

/** The service takes the centre of the part with the most positions. */
const largestOutline = (outlines: Ring[]) => outlines.reduce((a, b) => (b.length > a.length ? b : a));

/** The centre the service measures distances from (src/alerts/area.ts): deliveries' distance_m is from here. */
export function areaCentre(area: AreaInput, region: RegionDetail): { lat: number; lng: number } | null {
  if (area.type === "circle") return { lat: area.center.lat, lng: area.center.lon };
  if (area.type === "Polygon") return mean(area.coordinates[0]);
  if (area.type === "MultiPolygon") return mean(largestOutline(area.coordinates.map((p) => p[0])));
  const f = region.municipalities.features.find((m) => m.properties.code === area.code);
  if (!f) return null;
  const g = f.geometry as GeoJSON.Polygon | GeoJSON.MultiPolygon;
  return mean(largestOutline(g.type === "Polygon" ? [g.coordinates[0]] : g.coordinates.map((p) => p[0])));
}
