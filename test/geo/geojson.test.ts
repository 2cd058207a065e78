import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MAX_VERTICES, readArea } from "../../src/geo/geojson.js";
import { polygonProblem, rewound } from "../../src/geo/polygon-checks.js";
import { ringArea2, type Ring } from "../../src/geo/geometry.js";
import { hole, square } from "./rings.js";

const clockwise = [...square].reverse();
const polygon = { type: "Polygon", coordinates: [square] };

describe("areas as map tools write them are read into one shape", () => {
  const accepted: [string, unknown, unknown][] = [
    ["a bare Polygon", polygon, polygon],
    [
      "clockwise (either winding is read as sent)",
      { type: "Polygon", coordinates: [clockwise] },
      { type: "Polygon", coordinates: [clockwise] },
    ],
    [
      "a third value (altitude) is dropped",
      { type: "Polygon", coordinates: [square.map((p) => [...p, 12.5])] },
      polygon,
    ],
    ["a bbox member is ignored", { ...polygon, bbox: [4.88, 52.36, 4.9, 52.38] }, polygon],
    ["foreign members are ignored", { ...polygon, id: 7, title: "Dam" }, polygon],
    [
      "a geojson.io Feature with properties",
      { type: "Feature", properties: { name: "Dam", stroke: "#555" }, geometry: polygon },
      polygon,
    ],
    ["a Feature with null properties", { type: "Feature", properties: null, geometry: polygon }, polygon],
    [
      "a QGIS FeatureCollection of one, with the CRS84 crs it writes",
      {
        type: "FeatureCollection",
        name: "area",
        crs: { type: "name", properties: { name: "urn:ogc:def:crs:OGC:1.3:CRS84" } },
        features: [{ type: "Feature", properties: { id: 1 }, geometry: polygon }],
      },
      polygon,
    ],
    [
      "a MultiPolygon with a hole",
      { type: "MultiPolygon", coordinates: [[square, hole], [square]] },
      { type: "MultiPolygon", coordinates: [[square, hole], [square]] },
    ],
    ["the deprecated lowercase polygon", { type: "polygon", coordinates: [square] }, polygon],
    ["a circle", { type: "circle", center: { lat: 52.37, lon: 4.89 }, radiusMeters: 50 }, null],
    ["a municipality", { type: "municipality", code: "GM0363" }, null],
  ];
  for (const [name, input, expected] of accepted) {
    test(name, () => {
      const read = readArea(input);
      assert.ok(read.ok, JSON.stringify(read));
      assert.deepEqual(read.area, expected ?? input);
    });
  }

  test("where the geometry sits and whether the shape is deprecated", () => {
    const feature = readArea({ type: "FeatureCollection", features: [{ type: "Feature", geometry: polygon }] });
    assert.ok(feature.ok && feature.pointer === "/features/0/geometry" && !feature.deprecated);
    const legacy = readArea({ type: "polygon", coordinates: [square] });
    assert.ok(legacy.ok && legacy.pointer === "" && legacy.deprecated);
  });
});

describe("a bad area gets one message that says what and where", () => {
  const big = Array.from({ length: MAX_VERTICES }, (_, i) => [4.8 + i * 1e-5, 52.3]);
  const refused: [string, unknown, string, RegExp][] = [
    ["not an object", [1, 2], "", /an area is an object/],
    ["an unknown type", { type: "Point", coordinates: [4.9, 52.37] }, "/type", /unknown area type "Point"/],
    ["no coordinates", { type: "Polygon" }, "/coordinates", /list of rings/],
    [
      "a position that is not [lon, lat]",
      { type: "Polygon", coordinates: [[...square.slice(0, 2), [4.9], ...square.slice(3)]] },
      "/coordinates/0/2",
      /^ring 0 position 2 is not \[lon, lat\]/,
    ],
    [
      "a position given as a string",
      { type: "Polygon", coordinates: [[...square.slice(0, 4), ["4.88", "52.36"]]] },
      "/coordinates/0/4",
      /ring 0 position 4 is not \[lon, lat\]/,
    ],
    [
      "RD New metres instead of degrees",
      { type: "Polygon", coordinates: [[[121000, 487000], ...square.slice(1)]] },
      "/coordinates/0/0",
      /RD New \(EPSG:28992\)/,
    ],
    [
      "a ring of three positions",
      { type: "Polygon", coordinates: [square.slice(0, 3)] },
      "/coordinates/0",
      /needs at least 4/,
    ],
    [
      "a MultiPolygon part's position, in a Feature",
      { type: "Feature", geometry: { type: "MultiPolygon", coordinates: [[square], [[...square.slice(0, 4), null]]] } },
      "/geometry/coordinates/1/0/4",
      /^part 1 ring 0 position 4/,
    ],
    ["a Feature without geometry", { type: "Feature", properties: {}, geometry: null }, "/geometry", /no geometry/],
    [
      "a Feature of a Point",
      { type: "Feature", geometry: { type: "Point", coordinates: [4.9, 52.37] } },
      "/geometry/type",
      /Polygon or MultiPolygon, not "Point"/,
    ],
    [
      "a FeatureCollection of two",
      { type: "FeatureCollection", features: [{}, {}] },
      "/features",
      /exactly one Feature \(got 2\)/,
    ],
    [
      "a crs other than WGS 84",
      { ...polygon, crs: { type: "name", properties: { name: "urn:ogc:def:crs:EPSG::28992" } } },
      "/crs",
      /WGS 84/,
    ],
    ["a bbox that is not one", { ...polygon, bbox: [1, 2] }, "/bbox", /bbox/],
    [
      "too many positions",
      { type: "Polygon", coordinates: [[...big, big[0]]] },
      "/coordinates",
      /at most 1000 positions \(got 1001\)/,
    ],
    [
      "a circle with a member too many",
      { type: "circle", center: { lat: 52, lon: 5 }, radiusMeters: 100, r: 1 },
      "/r",
      /no member "r"/,
    ],
    [
      "a radius below 50 m",
      { type: "circle", center: { lat: 52, lon: 5 }, radiusMeters: 10 },
      "/radiusMeters",
      /50 to 25000/,
    ],
    ["a municipality code that is not one", { type: "municipality", code: "0363" }, "/code", /GM0363/],
  ];
  for (const [name, input, path, message] of refused) {
    test(name, () => {
      const read = readArea(input);
      assert.equal(read.ok, false);
      assert.ok(!read.ok);
      assert.equal(read.path, path);
      assert.match(read.message, message);
    });
  }
});

describe("polygon geometry", () => {
  const bowtie: Ring = [
    [4.88, 52.36],
    [4.9, 52.38],
    [4.9, 52.36],
    [4.88, 52.38],
    [4.88, 52.36],
  ];
  const cases: [string, unknown, string | null, RegExp | null][] = [
    ["a square with a hole", { type: "Polygon", coordinates: [square, hole] }, null, null],
    ["a repeated position is no crossing", { type: "Polygon", coordinates: [[square[0], ...square]] }, null, null],
    [
      "an open ring",
      { type: "Polygon", coordinates: [square.slice(0, 4).concat([[4.88, 52.361]])] },
      "/coordinates/0/4",
      /^ring 0 is not closed/,
    ],
    [
      "a bowtie",
      { type: "Polygon", coordinates: [bowtie] },
      "/coordinates/0/0",
      /^ring 0 crosses itself between positions 0 and 2$/,
    ],
    [
      "a crossing in part 1 of a MultiPolygon",
      { type: "MultiPolygon", coordinates: [[square], [bowtie]] },
      "/coordinates/1/0/0",
      /^MultiPolygon part 1 ring 0 crosses itself/,
    ],
    [
      "a flat ring",
      { type: "Polygon", coordinates: [[square[0], square[1], square[0], square[1], square[0]]] },
      "/coordinates/0",
      /encloses no area/,
    ],
    [
      "a hole outside its outline",
      { type: "Polygon", coordinates: [square, hole.map(([x, y]) => [x + 0.05, y])] },
      "/coordinates/1/0",
      /^ring 1 is a hole but its position 0 lies outside the outline \(ring 0\)/,
    ],
    [
      "a hole touching its outline",
      { type: "Polygon", coordinates: [square, [square[0], [4.89, 52.37], [4.89, 52.36], square[0]]] },
      null,
      null,
    ],
  ];
  for (const [name, area, path, message] of cases) {
    test(name, () => {
      const problem = polygonProblem(area as never);
      if (!path) return assert.equal(problem, null);
      assert.equal(problem?.path, path);
      assert.match(problem!.message, message!);
    });
  }

  test("kept with RFC 7946 winding: outlines counter-clockwise, holes clockwise", () => {
    const ccwHole = [...hole].reverse();
    const kept = rewound({
      type: "MultiPolygon",
      coordinates: [
        [clockwise, ccwHole],
        [square, hole],
      ],
    });
    for (const [outline, ...holes] of kept.coordinates) {
      assert.ok(ringArea2(outline) > 0);
      for (const h of holes) assert.ok(ringArea2(h) < 0);
    }
    assert.deepEqual(kept.coordinates[1], [square, hole], "already right: unchanged");
  });
});
