import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MAX_RINGS, MAX_VERTICES, readArea } from "../../src/geo/geojson.js";
import type { Position, Ring } from "../../src/geo/geometry.js";

// What an operator sending an area sees at each edge of the reading: the exact message and JSON pointer of a refusal,
// and exactly what is kept (pointer, deprecated flag, positions) when it is accepted.
const square: Ring = [
  [4.88, 52.36],
  [4.9, 52.36],
  [4.9, 52.38],
  [4.88, 52.38],
  [4.88, 52.36],
];
const polygon = { type: "Polygon", coordinates: [square] };
/** The square with its position 1 replaced. */
const withPosition = (p: unknown) => ({ type: "Polygon", coordinates: [[square[0], p, ...square.slice(2)]] });
/** A closed ring of n positions (readArea does not judge the shape; polygon-checks does). */
const ringOf = (n: number): Position[] => {
  const open = Array.from({ length: n - 1 }, (_, i): Position => [4.8 + i * 1e-5, 52.3 + (i % 2) * 1e-5]);
  return [...open, open[0]];
};
const ringsOf = (n: number) => Array.from({ length: n }, () => ringOf(4));
const degrees = (got: string) => `ring 0 position 1 is not [lon, lat] in degrees: got ${got}`;
const rd = (got: string) => `${degrees(got)}; it looks like RD New (EPSG:28992): export the file as WGS 84 (EPSG:4326)`;
const notPosition = (got: string) => `ring 0 position 1 is not [lon, lat] (or [lon, lat, altitude]): got ${got}`;
const KINDS = "a GeoJSON Polygon or MultiPolygon (bare or as a Feature), a circle or a municipality";
const crsName = (name: unknown) => ({ ...polygon, crs: { type: "name", properties: { name } } });
const wgs84 = (not: string) => `coordinates must be WGS 84 longitude/latitude (RFC 7946), not ${not}`;

describe("each refusal: its path and its whole message", () => {
  const refused: [string, unknown, string, string][] = [
    ["null", null, "", `an area is an object: ${KINDS}`],
    ["a string", "Polygon", "", `an area is an object: ${KINDS}`],
    ["no type", { coordinates: [square] }, "/type", `unknown area type undefined: send ${KINDS}`],
    ["position of four numbers", withPosition([4.9, 52.36, 1, 2]), "/coordinates/0/1", notPosition("[4.9,52.36,1,2]")],
    ["position half a string", withPosition([4.9, "52.36"]), "/coordinates/0/1", notPosition('[4.9,"52.36"]')],
    ["position of NaN", withPosition([Number.NaN, 52.36]), "/coordinates/0/1", notPosition("[null,52.36]")],
    ["position of Infinity", withPosition([Infinity, 52]), "/coordinates/0/1", notPosition("[null,52]")],
    ["position null", withPosition(null), "/coordinates/0/1", notPosition("null")],
    [
      "a long position is shown cut at 60 characters",
      withPosition(Array(30).fill(1234)),
      "/coordinates/0/1",
      notPosition(`[${"1234,".repeat(11)}1234`),
    ],
    ["lon one past -180", withPosition([-180.0001, 0]), "/coordinates/0/1", degrees("[-180.0001,0]")],
    ["lon one past 180", withPosition([180.0001, 0]), "/coordinates/0/1", degrees("[180.0001,0]")],
    ["lat one past -90", withPosition([0, -90.0001]), "/coordinates/0/1", degrees("[0,-90.0001]")],
    ["lat one past 90", withPosition([0, 90.0001]), "/coordinates/0/1", degrees("[0,90.0001]")],
    ["RD: easting 1", withPosition([1, 487000]), "/coordinates/0/1", rd("[1,487000]")],
    ["not RD: easting 0", withPosition([0, 487000]), "/coordinates/0/1", degrees("[0,487000]")],
    ["RD: easting 299999", withPosition([299999, 487000]), "/coordinates/0/1", rd("[299999,487000]")],
    ["not RD: easting 300000", withPosition([300000, 487000]), "/coordinates/0/1", degrees("[300000,487000]")],
    ["RD: northing 280001", withPosition([121000, 280001]), "/coordinates/0/1", rd("[121000,280001]")],
    ["not RD: northing 280000", withPosition([121000, 280000]), "/coordinates/0/1", degrees("[121000,280000]")],
    ["RD: northing 629999", withPosition([121000, 629999]), "/coordinates/0/1", rd("[121000,629999]")],
    ["not RD: northing 630000", withPosition([121000, 630000]), "/coordinates/0/1", degrees("[121000,630000]")],
    ["not RD: a small northing", withPosition([121000, 95]), "/coordinates/0/1", degrees("[121000,95]")],
    [
      "no rings",
      { type: "Polygon", coordinates: [] },
      "/coordinates",
      "coordinates must be a list of rings, the outline first and then any holes",
    ],
    [
      "a ring that is a number",
      { type: "Polygon", coordinates: [5] },
      "/coordinates/0",
      "ring 0 is not a list of positions",
    ],
    [
      "a hole of three positions",
      { type: "Polygon", coordinates: [square, square.slice(0, 3)] },
      "/coordinates/1",
      "ring 1 has 3 positions: a ring needs at least 4 (a closed triangle)",
    ],
    [
      "a MultiPolygon part's ring of three",
      { type: "MultiPolygon", coordinates: [[square], [square.slice(0, 3)]] },
      "/coordinates/1/0",
      "part 1 ring 0 has 3 positions: a ring needs at least 4 (a closed triangle)",
    ],
    [
      "a MultiPolygon part with no rings",
      { type: "MultiPolygon", coordinates: [[square], []] },
      "/coordinates/1",
      "part 1 coordinates must be a list of rings, the outline first and then any holes",
    ],
    [
      "a MultiPolygon of none",
      { type: "MultiPolygon", coordinates: [] },
      "/coordinates",
      "MultiPolygon coordinates must be a list of polygons",
    ],
    [
      "a MultiPolygon without coordinates",
      { type: "MultiPolygon" },
      "/coordinates",
      "MultiPolygon coordinates must be a list of polygons",
    ],
    ["bbox null", { ...polygon, bbox: null }, "/bbox", "bbox is not [west, south, east, north] (or with altitudes)"],
    [
      "bbox of 5",
      { ...polygon, bbox: [1, 2, 3, 4, 5] },
      "/bbox",
      "bbox is not [west, south, east, north] (or with altitudes)",
    ],
    [
      "bbox with a string",
      { ...polygon, bbox: [1, 2, "3", 4] },
      "/bbox",
      "bbox is not [west, south, east, north] (or with altitudes)",
    ],
    [
      "bbox a string",
      { ...polygon, bbox: "1,2,3,4" },
      "/bbox",
      "bbox is not [west, south, east, north] (or with altitudes)",
    ],
    [
      "a Feature's bbox",
      { type: "Feature", bbox: [1], geometry: polygon },
      "/bbox",
      "bbox is not [west, south, east, north] (or with altitudes)",
    ],
    [
      "a Feature's geometry's bbox",
      { type: "Feature", geometry: { ...polygon, bbox: [1] } },
      "/geometry/bbox",
      "bbox is not [west, south, east, north] (or with altitudes)",
    ],
    ["crs RD by name", crsName("urn:ogc:def:crs:EPSG::28992"), "/crs", wgs84("urn:ogc:def:crs:EPSG::28992")],
    ["crs 4326 with three colons", crsName("EPSG:::4326"), "/crs", wgs84("EPSG:::4326")],
    ["crs 4326 without a colon", crsName("EPSG4326"), "/crs", wgs84("EPSG4326")],
    ["crs 43260", crsName("EPSG:43260"), "/crs", wgs84("EPSG:43260")],
    ["crs 4326 then more", crsName("EPSG:4326/x"), "/crs", wgs84("EPSG:4326/x")],
    ["crs as a string", { ...polygon, crs: "EPSG:28992" }, "/crs", wgs84('"EPSG:28992"')],
    ["crs without a name", { ...polygon, crs: { properties: {} } }, "/crs", wgs84('{"properties":{}}')],
    ["crs with null properties", { ...polygon, crs: { properties: null } }, "/crs", wgs84('{"properties":null}')],
    ["crs of a string", { ...polygon, crs: { properties: "CRS84" } }, "/crs", wgs84('{"properties":"CRS84"}')],
    [
      "a FeatureCollection's crs",
      { type: "FeatureCollection", crs: "x", features: [{ type: "Feature", geometry: polygon }] },
      "/crs",
      wgs84('"x"'),
    ],
    [
      "the crs of the Feature in a FeatureCollection",
      { type: "FeatureCollection", features: [{ type: "Feature", crs: "x", geometry: polygon }] },
      "/features/0/crs",
      wgs84('"x"'),
    ],
    [
      "a position in a FeatureCollection's Feature",
      { type: "FeatureCollection", features: [{ type: "Feature", geometry: withPosition(null) }] },
      "/features/0/geometry/coordinates/0/1",
      notPosition("null"),
    ],
    [
      "a Feature whose geometry is a list",
      { type: "Feature", geometry: [polygon] },
      "/geometry",
      "the Feature has no geometry: draw or select a polygon before exporting",
    ],
    [
      "a Feature of a circle",
      { type: "Feature", geometry: { type: "circle" } },
      "/geometry/type",
      `the Feature's geometry must be a Polygon or MultiPolygon, not "circle"`,
    ],
    [
      "a FeatureCollection of none",
      { type: "FeatureCollection", features: [] },
      "/features",
      "a FeatureCollection must hold exactly one Feature (got 0): send one MultiPolygon",
    ],
    [
      "a FeatureCollection without features",
      { type: "FeatureCollection" },
      "/features",
      "a FeatureCollection must hold exactly one Feature (got 0): send one MultiPolygon",
    ],
    [
      "a FeatureCollection of a number",
      { type: "FeatureCollection", features: [5] },
      "/features",
      "a FeatureCollection must hold exactly one Feature (got 1): send one MultiPolygon",
    ],
    [
      "a deprecated polygon's position",
      { ...withPosition(null), type: "polygon" },
      "/coordinates/0/1",
      notPosition("null"),
    ],
  ];
  for (const [name, input, path, message] of refused) {
    test(name, () => assert.deepEqual(readArea(input), { ok: false, path, message }));
  }
});

describe("limits: exactly at the limit is accepted, one past it is refused", () => {
  const vertices = (got: number) =>
    `an area may have at most ${MAX_VERTICES} positions (got ${got}): simplify it (e.g. QGIS Simplify, ` +
    "mapshaper -simplify) or use the municipality code";
  const rings = (got: number) => `an area may have at most ${MAX_RINGS} rings (got ${got})`;
  const cases: [string, unknown, { path: string; message: string } | null][] = [
    ["1000 positions", { type: "Polygon", coordinates: [ringOf(MAX_VERTICES)] }, null],
    [
      "1001 positions",
      { type: "Polygon", coordinates: [ringOf(MAX_VERTICES + 1)] },
      { path: "/coordinates", message: vertices(1001) },
    ],
    [
      "1001 positions over two parts",
      { type: "Feature", geometry: { type: "MultiPolygon", coordinates: [[ringOf(500)], [ringOf(501)]] } },
      { path: "/geometry/coordinates", message: vertices(1001) },
    ],
    [
      "1001 positions, deprecated",
      { type: "polygon", coordinates: [ringOf(MAX_VERTICES + 1)] },
      { path: "/coordinates", message: vertices(1001) },
    ],
    ["100 rings", { type: "Polygon", coordinates: ringsOf(MAX_RINGS) }, null],
    [
      "101 rings",
      { type: "Polygon", coordinates: ringsOf(MAX_RINGS + 1) },
      { path: "/coordinates", message: rings(101) },
    ],
    ["100 rings over two parts", { type: "MultiPolygon", coordinates: [ringsOf(50), ringsOf(50)] }, null],
    [
      "101 rings over two parts",
      { type: "MultiPolygon", coordinates: [ringsOf(50), ringsOf(51)] },
      { path: "/coordinates", message: rings(101) },
    ],
  ];
  for (const [name, input, problem] of cases) {
    test(name, () => {
      const read = readArea(input);
      // The verdict only: a diff of a thousand positions takes longer to print than the test takes to run.
      assert.deepEqual(read.ok ? null : { path: read.path, message: read.message }, problem);
    });
  }
});
