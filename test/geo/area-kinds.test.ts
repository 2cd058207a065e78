import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MAX_RADIUS_METERS, MIN_RADIUS_METERS, readArea } from "../../src/geo/geojson.js";
import type { Ring } from "../../src/geo/geometry.js";

// What is kept of each kind of area an operator may send: the area, where its geometry sat, whether it was the
// deprecated shape; and the circle and municipality at each of their edges.
const square: Ring = [
  [4.88, 52.36],
  [4.9, 52.36],
  [4.9, 52.38],
  [4.88, 52.38],
  [4.88, 52.36],
];
const polygon = { type: "Polygon", coordinates: [square] };
const multi = { type: "MultiPolygon", coordinates: [[square], [square]] };
const world: Ring = [
  [-180, -90],
  [180, -90],
  [180, 90],
  [-180, -90],
];

describe("what is kept", () => {
  const kept: [string, unknown, unknown, string, boolean][] = [
    ["a Polygon", polygon, polygon, "", false],
    ["a MultiPolygon", multi, multi, "", false],
    ["a Feature", { type: "Feature", geometry: polygon }, polygon, "/geometry", false],
    ["a Feature of a MultiPolygon", { type: "Feature", geometry: multi }, multi, "/geometry", false],
    [
      "a FeatureCollection of one",
      { type: "FeatureCollection", features: [{ type: "Feature", geometry: multi }] },
      multi,
      "/features/0/geometry",
      false,
    ],
    ["the deprecated polygon", { type: "polygon", coordinates: [square] }, polygon, "", true],
    [
      "a triangle at the corners of the world",
      { type: "Polygon", coordinates: [world] },
      { type: "Polygon", coordinates: [world] },
      "",
      false,
    ],
    [
      "altitudes dropped in every part",
      {
        type: "MultiPolygon",
        coordinates: [[square.map(([x, y]) => [x, y, 3])], [square.map(([x, y]) => [x, y, -1])]],
      },
      multi,
      "",
      false,
    ],
    ["a bbox with altitudes", { ...polygon, bbox: [4.88, 52.36, 0, 4.9, 52.38, 10] }, polygon, "", false],
    [
      "a Feature's bbox",
      { type: "Feature", bbox: [4.88, 52.36, 4.9, 52.38], geometry: polygon },
      polygon,
      "/geometry",
      false,
    ],
    ["crs null", { ...polygon, crs: null }, polygon, "", false],
    ["crs EPSG:4326", { ...polygon, crs: { type: "name", properties: { name: "EPSG:4326" } } }, polygon, "", false],
    [
      "crs epsg::4326",
      { ...polygon, crs: { type: "name", properties: { name: "urn:ogc:def:crs:epsg::4326" } } },
      polygon,
      "",
      false,
    ],
    ["crs crs84", { ...polygon, crs: { properties: { name: "urn:ogc:def:crs:OGC::crs84" } } }, polygon, "", false],
    ["a circle", { type: "circle", center: { lat: 52.37, lon: 4.89 }, radiusMeters: 100 }, null, "", false],
    [
      "a circle, lon first",
      { type: "circle", center: { lon: 4.89, lat: 52.37 }, radiusMeters: 100 },
      { type: "circle", center: { lat: 52.37, lon: 4.89 }, radiusMeters: 100 },
      "",
      false,
    ],
    ["a municipality", { type: "municipality", code: "GM0363" }, null, "", false],
  ];
  for (const [name, input, area, pointer, deprecated] of kept) {
    test(name, () => assert.deepEqual(readArea(input), { ok: true, area: area ?? input, pointer, deprecated }));
  }
});

describe("circles", () => {
  const at = (lat: number, lon: number, radiusMeters: unknown = 100) => ({
    type: "circle",
    center: { lat, lon },
    radiusMeters,
  });
  for (const [lat, lon, r] of [
    [-90, -180, MIN_RADIUS_METERS],
    [90, 180, MAX_RADIUS_METERS],
  ]) {
    test(`accepted at lat ${lat}, lon ${lon}, radius ${r}`, () => {
      const input = at(lat, lon, r);
      assert.deepEqual(readArea(input), { ok: true, area: input, pointer: "", deprecated: false });
    });
  }
  const center = (got: string) => `center is not { "lat": …, "lon": … }: got ${got}`;
  const radius = "radiusMeters must be a number from 50 to 25000";
  const refused: [string, unknown, string, string][] = [
    ["lat one past -90", at(-90.0001, 5), "/center", "center is not a lat/lon in degrees"],
    ["lat one past 90", at(90.0001, 5), "/center", "center is not a lat/lon in degrees"],
    ["lon one past -180", at(52, -180.0001), "/center", "center is not a lat/lon in degrees"],
    ["lon one past 180", at(52, 180.0001), "/center", "center is not a lat/lon in degrees"],
    ["no center", { type: "circle", radiusMeters: 100 }, "/center", center("undefined")],
    ["a center as a list", { type: "circle", center: [52, 5], radiusMeters: 100 }, "/center", center("[52,5]")],
    [
      "a lat as text",
      { type: "circle", center: { lat: "52", lon: 5 }, radiusMeters: 100 },
      "/center",
      center('{"lat":"52","lon":5}'),
    ],
    ["no lon", { type: "circle", center: { lat: 52 }, radiusMeters: 100 }, "/center", center('{"lat":52}')],
    [
      "a center with a third member",
      { type: "circle", center: { lat: 52, lon: 5, alt: 1 }, radiusMeters: 100 },
      "/center",
      center('{"lat":52,"lon":5,"alt":1}'),
    ],
    ["radius just under 50", at(52, 5, MIN_RADIUS_METERS - 0.1), "/radiusMeters", radius],
    ["radius just over 25000", at(52, 5, MAX_RADIUS_METERS + 0.1), "/radiusMeters", radius],
    ["radius as text", at(52, 5, "100"), "/radiusMeters", radius],
    ["no radius", { type: "circle", center: { lat: 52, lon: 5 } }, "/radiusMeters", radius],
    [
      "a member too many",
      { ...at(52, 5), r: 1 },
      "/r",
      'a circle has no member "r" (it has type, center, radiusMeters)',
    ],
  ];
  for (const [name, input, path, message] of refused) {
    test(name, () => assert.deepEqual(readArea(input), { ok: false, path, message }));
  }
});

describe("municipalities", () => {
  const code = (got: string) => `code is a CBS municipality code such as GM0363: got ${got}`;
  const refused: [string, unknown, string, string][] = [
    ["three digits", "GM036", "/code", code('"GM036"')],
    ["five digits", "GM03630", "/code", code('"GM03630"')],
    ["something before", "xGM0363", "/code", code('"xGM0363"')],
    ["lowercase", "gm0363", "/code", code('"gm0363"')],
    ["a letter among the digits", "GM03a3", "/code", code('"GM03a3"')],
    ["a number", 363, "/code", code("363")],
    ["a list of one code", ["GM0363"], "/code", code('["GM0363"]')],
    ["no code", undefined, "/code", code("undefined")],
  ];
  for (const [name, value, path, message] of refused) {
    test(name, () => assert.deepEqual(readArea({ type: "municipality", code: value }), { ok: false, path, message }));
  }
  test("a member too many", () =>
    assert.deepEqual(readArea({ type: "municipality", code: "GM0363", name: "Amsterdam" }), {
      ok: false,
      path: "/name",
      message: 'a municipality has no member "name" (it has type, code)',
    }));
});

test("an error that is not a refusal is not dressed up as one", () => {
  const broken = {
    get type(): string {
      throw new TypeError("getter failed");
    },
  };
  assert.throws(() => readArea(broken), { name: "TypeError", message: "getter failed" });
});
