import type { Ajv, SchemaValidateFunction } from "ajv";
import { MAX_RADIUS_METERS, MAX_RINGS, MAX_VERTICES, MIN_RADIUS_METERS, readArea } from "../geo/geojson.js";

/**
 * The area schema is documented in full (the oneOf below, for the OpenAPI document and the client) but checked by
 * src/geo/geojson.ts: a bad area gets one message that says what and where (`ring 0 position 12 is not
 * [lon, lat]`), not the nine failures of a oneOf. `forValidation` gives ajv the schema with each marked area
 * replaced by this keyword alone.
 */
export const AREA_KEYWORD = "x-burgernet-area";

const position = {
  type: "array",
  minItems: 2,
  maxItems: 3,
  items: { type: "number" },
  description: "[lon, lat] in WGS 84 degrees; a third value (altitude) is accepted and ignored",
} as const;
const ring = {
  type: "array",
  minItems: 4,
  maxItems: MAX_VERTICES,
  items: position,
  description: "Closed (the last position equals the first), not crossing itself; either winding order",
} as const;
const rings = {
  type: "array",
  minItems: 1,
  maxItems: MAX_RINGS,
  items: ring,
  description: "The outline first, then any holes (inside it)",
} as const;
const bbox = { type: "array", items: { type: "number" }, description: "Accepted and ignored" } as const;

const square = [
  [4.88, 52.36],
  [4.9, 52.36],
  [4.9, 52.38],
  [4.88, 52.38],
  [4.88, 52.36],
];
const hole = [
  [4.885, 52.365],
  [4.885, 52.375],
  [4.895, 52.375],
  [4.895, 52.365],
  [4.885, 52.365],
];
const other = [
  [4.95, 52.36],
  [4.97, 52.36],
  [4.97, 52.38],
  [4.95, 52.36],
];

const polygon = {
  type: "object",
  title: "Polygon",
  required: ["type", "coordinates"],
  properties: { type: { const: "Polygon" }, coordinates: rings, bbox },
  description: `GeoJSON Polygon (RFC 7946 §3.1.6). At most ${MAX_VERTICES} positions and ${MAX_RINGS} rings in all.`,
  examples: [{ type: "Polygon", coordinates: [square, hole] }],
} as const;
const multiPolygon = {
  type: "object",
  title: "MultiPolygon",
  required: ["type", "coordinates"],
  properties: { type: { const: "MultiPolygon" }, coordinates: { type: "array", minItems: 1, items: rings }, bbox },
  description: "GeoJSON MultiPolygon: every part is targeted; an operator's parts must each reach into their unit",
  examples: [{ type: "MultiPolygon", coordinates: [[square, hole], [other]] }],
} as const;
const feature = {
  type: "object",
  title: "Feature",
  required: ["type", "geometry"],
  properties: {
    type: { const: "Feature" },
    geometry: { oneOf: [polygon, multiPolygon] },
    properties: { type: ["object", "null"], additionalProperties: true, description: "Ignored" },
    bbox,
  },
  description: "A GeoJSON Feature of a Polygon or MultiPolygon (as geojson.io, QGIS or a drawing tool exports it)",
} as const;
const featureCollection = {
  type: "object",
  title: "FeatureCollection",
  required: ["type", "features"],
  properties: {
    type: { const: "FeatureCollection" },
    features: { type: "array", minItems: 1, maxItems: 1, items: feature },
  },
  description: "A FeatureCollection of exactly one such Feature",
} as const;
const circle = {
  type: "object",
  title: "Circle",
  additionalProperties: false,
  required: ["type", "center", "radiusMeters"],
  properties: {
    type: { const: "circle" },
    center: {
      type: "object",
      additionalProperties: false,
      required: ["lat", "lon"],
      properties: {
        lat: { type: "number", minimum: -90, maximum: 90 },
        lon: { type: "number", minimum: -180, maximum: 180 },
      },
    },
    radiusMeters: { type: "number", minimum: MIN_RADIUS_METERS, maximum: MAX_RADIUS_METERS },
  },
  description: "A circle (GeoJSON has none): everyone within radiusMeters (haversine) of the centre",
  examples: [{ type: "circle", center: { lat: 52.3731, lon: 4.8926 }, radiusMeters: 2000 }],
} as const;
const municipality = {
  type: "object",
  title: "Municipality",
  additionalProperties: false,
  required: ["type", "code"],
  properties: { type: { const: "municipality" }, code: { type: "string", pattern: "^GM[0-9]{4}$" } },
  description: "A CBS 2025 municipality by code; it belongs, whole, to the police unit that holds it",
  examples: [{ type: "municipality", code: "GM0363" }],
} as const;
const legacyPolygon = {
  type: "object",
  title: "Polygon (deprecated lowercase)",
  deprecated: true,
  required: ["type", "coordinates"],
  properties: { type: { const: "polygon" }, coordinates: rings },
  description: "Deprecated, removed in 1.0 (CHANGELOG): the same as a GeoJSON Polygon; answered as one",
} as const;

export const areaSchema = {
  [AREA_KEYWORD]: true,
  description:
    "Where to alert: a GeoJSON Polygon or MultiPolygon (holes allowed), bare or as a Feature; a circle; or a " +
    "municipality code. Polygons are answered as GeoJSON with RFC 7946 winding.",
  oneOf: [polygon, multiPolygon, feature, featureCollection, circle, municipality, legacyPolygon],
} as const;

/** How an alert's area is answered: as kept. */
export const storedAreaSchema = {
  type: "object",
  additionalProperties: true,
  description:
    "The area as kept: a GeoJSON Polygon or MultiPolygon ([lon, lat], outlines counter-clockwise), a circle or " +
    "a municipality",
} as const;

const checkArea: SchemaValidateFunction = (_schema, data, _parent, cxt) => {
  const read = readArea(data);
  if (read.ok) return true;
  const instancePath = `${cxt?.instancePath ?? ""}${read.path}`;
  checkArea.errors = [{ keyword: AREA_KEYWORD, instancePath, message: read.message, params: {} }];
  return false;
};

export function addAreaKeyword(ajv: Ajv) {
  ajv.addKeyword({ keyword: AREA_KEYWORD, schemaType: "boolean", errors: true, validate: checkArea });
  return ajv;
}

/** A copy of the schema in which every marked area schema is the area keyword alone. */
export function forValidation<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map(forValidation) as T;
  if (!schema || typeof schema !== "object") return schema;
  if ((schema as Record<string, unknown>)[AREA_KEYWORD] === true) return { [AREA_KEYWORD]: true } as T;
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, forValidation(v)])) as T;
}
