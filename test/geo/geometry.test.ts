import assert from "node:assert/strict";
import { test } from "node:test";
import {
  bbox,
  centroid,
  EARTH_RADIUS_M,
  haversineMeters,
  onSegment,
  pointInPolygon,
  ringSelfIntersects,
  type Position,
  type Ring,
} from "../../src/geo/geometry.js";

const square = (x0: number, y0: number, size: number): Ring => [
  [x0, y0],
  [x0 + size, y0],
  [x0 + size, y0 + size],
  [x0, y0 + size],
  [x0, y0],
];

test("a point inside an area's hole is not in the area (a tip from the excluded park is not targeted)", () => {
  const withHole = [square(0, 0, 10), square(4, 4, 2)];
  const rows: [Position, boolean][] = [
    [[2, 2], true],
    [[5, 5], false], // in the hole
    [[4.5, 8], true], // beside the hole, between its sides
    [[8, 5], true],
    [[11, 5], false],
    [[5, -1], false],
  ];
  for (const [p, inside] of rows) assert.equal(pointInPolygon(p, withHole), inside, `${p}`);
  assert.equal(pointInPolygon([5, 5], [square(0, 0, 10)]), true, "without the hole it is inside");
});

test("a point is placed against slanted edges too", () => {
  const triangle: Ring[] = [
    [
      [0, 0],
      [4, 0],
      [0, 4],
      [0, 0],
    ],
  ];
  const rows: [Position, boolean][] = [
    [[1, 2.9], true],
    [[1.9, 2], true],
    [[2.1, 2], false], // just past the long side (x + y = 4)
    [[3.5, 0.4], true],
    [[3.5, 0.6], false],
    [[-0.1, 1], false],
  ];
  for (const [p, inside] of rows) assert.equal(pointInPolygon(p, triangle), inside, `${p}`);
  const shifted: Ring[] = [triangle[0].map(([x, y]) => [x + 5, y + 51] as Position)];
  for (const [[x, y], inside] of rows)
    assert.equal(pointInPolygon([x + 5, y + 51], shifted), inside, `${x},${y} + 5,51`);
});

test("a point on a shared border belongs to exactly one of two neighbouring areas: the one to its east/north", () => {
  const west = [square(0, 0, 1)];
  const east = [square(1, 0, 1)];
  const north = [square(0, 1, 1)];
  for (const p of [
    [1, 0.5],
    [1, 0],
    [1, 0.999],
  ] as Position[]) {
    assert.equal(pointInPolygon(p, west), false, `${p} west`);
    assert.equal(pointInPolygon(p, east), true, `${p} east`);
  }
  assert.equal(pointInPolygon([0.5, 1], west), false);
  assert.equal(pointInPolygon([0.5, 1], north), true);
});

test("a concave area is valid; a ring that crosses itself is refused", () => {
  const lShape: Ring = [
    [0, 0],
    [4, 0],
    [4, 1],
    [1, 1],
    [1, 4],
    [0, 4],
    [0, 0],
  ];
  const arrow: Ring = [
    [0, 0],
    [2, 1],
    [4, 0],
    [2, 4],
    [0, 0],
  ];
  const bowtie: Ring = [
    [0, 0],
    [2, 2],
    [2, 0],
    [0, 2],
    [0, 0],
  ];
  // The last edge (back to the start) crosses the second.
  const crossingClosing: Ring = [
    [0, 0],
    [4, 0],
    [0, 3],
    [4, 3],
    [0, 0],
  ];
  // Two edges far apart in the ring that touch at one point.
  const touching: Ring = [
    [0, 0],
    [4, 0],
    [4, 4],
    [2, 0],
    [0, 4],
    [0, 0],
  ];
  assert.equal(ringSelfIntersects(square(0, 0, 1)), false);
  assert.equal(ringSelfIntersects(lShape), false);
  assert.equal(ringSelfIntersects(arrow), false);
  assert.equal(ringSelfIntersects(bowtie), true);
  assert.equal(ringSelfIntersects(crossingClosing), true);
  assert.equal(ringSelfIntersects(touching), true);
  assert.equal(pointInPolygon([0.5, 3], [lShape]), true);
  assert.equal(pointInPolygon([3, 3], [lShape]), false, "the notch of the L is outside");
});

test("the centre of an area counts each corner once (the closing position repeats the first)", () => {
  const triangle: Ring = [
    [0, 0],
    [3, 0],
    [0, 3],
    [0, 0],
  ];
  assert.deepEqual(centroid(triangle), { lon: 1, lat: 1 });
  assert.deepEqual(centroid(square(4, 50, 2)), { lon: 5, lat: 51 });
});

test("the box holds every corner and nothing more", () => {
  assert.deepEqual(
    bbox([
      [5, 52],
      [4.5, 52.5],
      [5.5, 51.5],
      [5, 52],
    ]),
    { minLon: 4.5, minLat: 51.5, maxLon: 5.5, maxLat: 52.5 },
  );
});

test("distances along the earth: a degree of latitude, one of longitude at 52°, and half way round", () => {
  const degree = (EARTH_RADIUS_M * Math.PI) / 180;
  assert.ok(Math.abs(haversineMeters(52, 5, 53, 5) - degree) < 0.01);
  assert.ok(Math.abs(haversineMeters(52, 5, 52, 6) - degree * Math.cos((52 * Math.PI) / 180)) < 10);
  assert.ok(Math.abs(haversineMeters(52, 6, 52, 5) - haversineMeters(52, 5, 52, 6)) < 1e-6);
  assert.equal(haversineMeters(52, 5, 52, 5), 0);
  assert.ok(Math.abs(haversineMeters(0, 0, 0, 180) - EARTH_RADIUS_M * Math.PI) < 0.01);
});

test("a corner of a hole on the area's border is on that edge; beside it or past its ends it is not", () => {
  const a: Position = [5, 52];
  const b: Position = [5.2, 52.1];
  const rows: [Position, boolean][] = [
    [[5.1, 52.05], true], // half way
    [[5, 52], true],
    [[5.2, 52.1], true],
    [[5.1, 52.05 + 1e-9], false], // a tenth of a millimetre beside it
    [[5.1, 52.05 - 1e-9], false],
    [[5.3, 52.15], false], // on the line, past the end
    [[4.9, 51.95], false], // before the start
    [[5.1, 52.1], false],
  ];
  for (const [p, on] of rows) {
    assert.equal(onSegment(p, a, b), on, `${p}`);
    assert.equal(onSegment(p, b, a), on, `${p} (edge reversed)`);
  }
  // Axis-parallel edges far from the origin: only the ends bound them.
  assert.equal(onSegment([6, 53], [5, 53], [7, 53]), true);
  assert.equal(onSegment([8, 53], [5, 53], [7, 53]), false);
  assert.equal(onSegment([5, 52.5], [5, 52], [5, 53]), true);
  assert.equal(onSegment([5, 53.5], [5, 52], [5, 53]), false);
});
