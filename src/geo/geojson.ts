import type { Position, Ring } from "./geometry.js";

/**
 * Reading an alert area as map tools write it (RFC 7946 GeoJSON, or our circle and municipality objects) into the
 * one shape the service keeps. Pure: no boundaries, no database; the checks against the map are in
 * src/alerts/area.ts. Every problem comes with a JSON pointer into the area as it was sent.
 */

export const MAX_VERTICES = 1000;
export const MAX_RINGS = 100;
export const MIN_RADIUS_METERS = 50;
export const MAX_RADIUS_METERS = 25_000;

export type GeoPolygon = { type: "Polygon"; coordinates: Ring[] };
export type GeoMultiPolygon = { type: "MultiPolygon"; coordinates: Ring[][] };
export type CircleArea = { type: "circle"; center: { lat: number; lon: number }; radiusMeters: number };
export type MunicipalityArea = { type: "municipality"; code: string };
/** The shape the service keeps and answers with. */
export type Area = GeoPolygon | GeoMultiPolygon | CircleArea | MunicipalityArea;

/** What a client may send: the kept shapes, a Feature (or a FeatureCollection of one), the deprecated `polygon`. */
export type AreaInput =
  | Area
  | { type: "polygon"; coordinates: Ring[] }
  | { type: "Feature"; geometry: GeoPolygon | GeoMultiPolygon; properties?: unknown }
  | { type: "FeatureCollection"; features: unknown[] };

export interface Problem {
  /** JSON pointer into the area as sent, e.g. `/geometry/coordinates/0/12`. */
  path: string;
  message: string;
}

export type ReadArea =
  | {
      ok: true;
      area: Area;
      /** Where the geometry sits in what was sent: "", "/geometry" or "/features/0/geometry". */
      pointer: string;
      /** The lowercase `polygon` of before 2026: accepted, answered as a GeoJSON Polygon. */
      deprecated: boolean;
    }
  | ({ ok: false } & Problem);

class Refusal extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

const refuse = (path: string, message: string): never => {
  throw new Refusal(path, message);
};

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
// Number.isFinite is false for anything not a number (no coercion): a string "4.9" is no coordinate.
const isNumber = (v: unknown): v is number => Number.isFinite(v);
const show = (v: unknown) => JSON.stringify(v)?.slice(0, 60) ?? String(v);

const KINDS = "a GeoJSON Polygon or MultiPolygon (bare or as a Feature), a circle or a municipality";

/** RD New (EPSG:28992) metres in the Netherlands: the usual reason a file is not in degrees. */
const looksLikeRd = (x: number, y: number) => x > 0 && x < 300_000 && y > 280_000 && y < 630_000;

function position(v: unknown, path: string, label: string): Position {
  if (!Array.isArray(v) || v.length < 2 || v.length > 3 || !v.every(isNumber))
    refuse(path, `${label} is not [lon, lat] (or [lon, lat, altitude]): got ${show(v)}`);
  const [lon, lat] = v as number[];
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
    const hint = looksLikeRd(lon, lat)
      ? "; it looks like RD New (EPSG:28992): export the file as WGS 84 (EPSG:4326)"
      : "";
    refuse(path, `${label} is not [lon, lat] in degrees: got ${show(v)}${hint}`);
  }
  return [lon, lat]; // an altitude is ignored
}

function rings(v: unknown, path: string, part: string): Ring[] {
  if (!Array.isArray(v) || v.length === 0)
    refuse(path, `${part}coordinates must be a list of rings, the outline first and then any holes`);
  return (v as unknown[]).map((ring, r) => {
    const at = `${path}/${r}`;
    if (!Array.isArray(ring)) refuse(at, `${part}ring ${r} is not a list of positions`);
    if ((ring as unknown[]).length < 4)
      refuse(
        at,
        `${part}ring ${r} has ${(ring as unknown[]).length} positions: a ring needs at least 4 (a closed triangle)`,
      );
    return (ring as unknown[]).map((p, i) => position(p, `${at}/${i}`, `${part}ring ${r} position ${i}`));
  });
}

function checkBbox(o: Obj, path: string) {
  if (o.bbox === undefined) return;
  const b = o.bbox;
  if (!Array.isArray(b) || (b.length !== 4 && b.length !== 6) || !b.every(isNumber))
    refuse(`${path}/bbox`, "bbox is not [west, south, east, north] (or with altitudes)");
}

/** RFC 7946 has no `crs`; older exports (QGIS, GDAL) still write one: only WGS 84 longitude/latitude will do. */
function checkCrs(o: Obj, path: string) {
  if (o.crs === undefined || o.crs === null) return;
  const name = isObject(o.crs) && isObject(o.crs.properties) ? String(o.crs.properties.name ?? "") : "";
  if (!/CRS84|EPSG:{1,2}4326$/i.test(name))
    refuse(`${path}/crs`, `coordinates must be WGS 84 longitude/latitude (RFC 7946), not ${name || show(o.crs)}`);
}

function limits(polygons: Ring[][], path: string) {
  const positions = polygons.flat().reduce((n, ring) => n + ring.length, 0);
  if (positions > MAX_VERTICES)
    refuse(
      path,
      `an area may have at most ${MAX_VERTICES} positions (got ${positions}): simplify it (e.g. QGIS Simplify, ` +
        "mapshaper -simplify) or use the municipality code",
    );
  const ringCount = polygons.reduce((n, p) => n + p.length, 0);
  if (ringCount > MAX_RINGS) refuse(path, `an area may have at most ${MAX_RINGS} rings (got ${ringCount})`);
}

function geometry(o: Obj, path: string): GeoPolygon | GeoMultiPolygon {
  checkBbox(o, path);
  checkCrs(o, path);
  const at = `${path}/coordinates`;
  if (o.type === "Polygon") {
    const coordinates = rings(o.coordinates, at, "");
    limits([coordinates], at);
    return { type: "Polygon", coordinates };
  }
  if (!Array.isArray(o.coordinates) || o.coordinates.length === 0)
    refuse(at, "MultiPolygon coordinates must be a list of polygons");
  const coordinates = (o.coordinates as unknown[]).map((p, i) => rings(p, `${at}/${i}`, `part ${i} `));
  limits(coordinates, at);
  return { type: "MultiPolygon", coordinates };
}

function strictMembers(o: Obj, allowed: string[], what: string) {
  const extra = Object.keys(o).find((k) => !allowed.includes(k));
  if (extra) refuse(`/${extra}`, `a ${what} has no member "${extra}" (it has ${allowed.join(", ")})`);
}

function circle(o: Obj): CircleArea {
  strictMembers(o, ["type", "center", "radiusMeters"], "circle");
  const c = o.center;
  if (!isObject(c) || !isNumber(c.lat) || !isNumber(c.lon) || Object.keys(c).length !== 2)
    refuse("/center", `center is not { "lat": …, "lon": … }: got ${show(c)}`);
  const { lat, lon } = c as { lat: number; lon: number };
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) refuse("/center", "center is not a lat/lon in degrees");
  const r = o.radiusMeters;
  if (!isNumber(r) || r < MIN_RADIUS_METERS || r > MAX_RADIUS_METERS)
    refuse("/radiusMeters", `radiusMeters must be a number from ${MIN_RADIUS_METERS} to ${MAX_RADIUS_METERS}`);
  return { type: "circle", center: { lat, lon }, radiusMeters: r as number };
}

function municipality(o: Obj): MunicipalityArea {
  strictMembers(o, ["type", "code"], "municipality");
  if (typeof o.code !== "string" || !/^GM[0-9]{4}$/.test(o.code))
    refuse("/code", `code is a CBS municipality code such as GM0363: got ${show(o.code)}`);
  return { type: "municipality", code: o.code as string };
}

function feature(o: Obj, path: string): { area: GeoPolygon | GeoMultiPolygon; pointer: string } {
  checkBbox(o, path);
  checkCrs(o, path);
  const g = o.geometry;
  const at = `${path}/geometry`;
  if (!isObject(g)) refuse(at, "the Feature has no geometry: draw or select a polygon before exporting");
  const type = (g as Obj).type;
  if (type !== "Polygon" && type !== "MultiPolygon")
    refuse(`${at}/type`, `the Feature's geometry must be a Polygon or MultiPolygon, not ${show(type)}`);
  return { area: geometry(g as Obj, at), pointer: at };
}

function read(v: unknown): { area: Area; pointer: string; deprecated: boolean } {
  if (!isObject(v)) refuse("", `an area is an object: ${KINDS}`);
  const o = v as Obj;
  switch (o.type) {
    case "Polygon":
    case "MultiPolygon":
      return { area: geometry(o, ""), pointer: "", deprecated: false };
    case "Feature":
      return { ...feature(o, ""), deprecated: false };
    case "FeatureCollection": {
      checkCrs(o, "");
      const n = Array.isArray(o.features) ? o.features.length : 0;
      if (n !== 1 || !isObject((o.features as unknown[])[0]))
        refuse("/features", `a FeatureCollection must hold exactly one Feature (got ${n}): send one MultiPolygon`);
      return { ...feature((o.features as Obj[])[0], "/features/0"), deprecated: false };
    }
    case "polygon": {
      const coordinates = rings(o.coordinates, "/coordinates", "");
      limits([coordinates], "/coordinates");
      return { area: { type: "Polygon", coordinates }, pointer: "", deprecated: true };
    }
    case "circle":
      return { area: circle(o), pointer: "", deprecated: false };
    case "municipality":
      return { area: municipality(o), pointer: "", deprecated: false };
    default:
      return refuse("/type", `unknown area type ${show(o.type)}: send ${KINDS}`);
  }
}

/** The area in the shape the service keeps (positions [lon, lat], order as sent), or the first problem found. */
export function readArea(v: unknown): ReadArea {
  try {
    return { ok: true, ...read(v) };
  } catch (err) {
    if (err instanceof Refusal) return { ok: false, path: err.path, message: err.message };
    throw err;
  }
}

/** The polygons of a polygon area (outline + holes each), for targeting and clipping. */
export function polygonsOf(area: GeoPolygon | GeoMultiPolygon): Ring[][] {
  return area.type === "Polygon" ? [area.coordinates] : area.coordinates;
}
