import { pc4Table } from "../geo/pc4.js";

const named = new Map<string, string>();

/**
 * The place an alert's centre lies in, as citizens call it: the place of the nearest PC4 centroid. Asked once per
 * alert centre (the alert call's TwiML is rendered once per alert version), so a scan of the ~4,000 centroids does.
 */
export function placeNear(lat: number, lon: number): string {
  const key = `${lat},${lon}`;
  let place = named.get(key);
  if (place !== undefined) return place;
  const cosLat = Math.cos((lat * Math.PI) / 180);
  let best = Infinity;
  place = "";
  for (const p of pc4Table().values()) {
    const d = (p.lat - lat) ** 2 + ((p.lon - lon) * cosLat) ** 2;
    if (d < best) [best, place] = [d, p.place];
  }
  if (named.size >= 1000) named.clear();
  named.set(key, place);
  return place;
}
