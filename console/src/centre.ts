import type { AreaInput, RegionDetail } from "./api.js";

type Ring = number[][];

function mean(ring: Ring) {
  const pts = ring.slice(0, -1);
  return {
    lat: pts.reduce((s, p) => s + p[1], 0) / pts.length,
    lng: pts.reduce((s, p) => s + p[0], 0) / pts.length,
  };
}

/** The centre the service measures distances from (src/alerts/area.ts): deliveries' distance_m is from here. */
export function areaCentre(area: AreaInput, region: RegionDetail): { lat: number; lng: number } | null {
  if (area.type === "circle") return { lat: area.center.lat, lng: area.center.lon };
  if (area.type === "polygon") return mean(area.coordinates[0]);
  const f = region.municipalities.features.find((m) => m.properties.code === area.code);
  if (!f) return null;
  const g = f.geometry as GeoJSON.Polygon | GeoJSON.MultiPolygon;
  const outers: Ring[] = g.type === "Polygon" ? [g.coordinates[0]] : g.coordinates.map((p) => p[0]);
  return mean(outers.reduce((a, b) => (b.length > a.length ? b : a)));
}
