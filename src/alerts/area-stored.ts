/**
 * Alerts created before areas were GeoJSON keep `{ "type": "polygon", … }` in the database; they are answered as
 * the GeoJSON Polygon they are (the rings as they were sent).
 */
export function asStored(area: Record<string, unknown>): Record<string, unknown> {
  return area.type === "polygon" ? { type: "Polygon", coordinates: area.coordinates } : area;
}
