import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { polygonProblem, rewound } from "../../src/geo/polygon-checks.js";
import type { Ring } from "../../src/geo/geometry.js";
import { hole, square } from "./rings.js";

// Whether a polygon area can be targeted, at each edge: the first problem's exact path and message; and the winding
// kept (RFC 7946: outlines counter-clockwise, holes clockwise) whatever the winding sent.
const reversed = (ring: Ring): Ring => [...ring].reverse();
// A bowtie begun at its second position: edge 1 crosses edge 3.
const bowtie: Ring = [
  [4.9, 52.38],
  [4.9, 52.36],
  [4.88, 52.38],
  [4.88, 52.36],
  [4.9, 52.38],
];
const part1 = "MultiPolygon part 1 ";
const outside = hole.map(([x, y]) => [x + 0.05, y] as [number, number]);

describe("the first problem of a polygon area", () => {
  const poly = (...rings: Ring[]) => ({ type: "Polygon" as const, coordinates: rings });
  const multi = (...parts: Ring[][]) => ({ type: "MultiPolygon" as const, coordinates: parts });
  const cases: [string, Parameters<typeof polygonProblem>[0], { path: string; message: string } | null][] = [
    ["a square", poly(square), null],
    ["a clockwise square with a counter-clockwise hole", poly(reversed(square), reversed(hole)), null],
    ["two squares, the second with a hole", multi([square], [square, hole]), null],
    [
      "open: the last position differs in longitude only",
      poly([...square.slice(0, 4), [4.881, 52.36]]),
      { path: "/coordinates/0/4", message: "ring 0 is not closed: its last position (4) must equal its first" },
    ],
    [
      "open: the last position differs in latitude only",
      poly(square, [...hole.slice(0, 4), [4.885, 52.366]]),
      { path: "/coordinates/1/4", message: "ring 1 is not closed: its last position (4) must equal its first" },
    ],
    [
      "a crossing between positions 1 and 3",
      poly(bowtie),
      { path: "/coordinates/0/1", message: "ring 0 crosses itself between positions 1 and 3" },
    ],
    [
      "a crossing in a hole",
      multi([square], [square, bowtie]),
      { path: "/coordinates/1/1/1", message: "MultiPolygon part 1 ring 1 crosses itself between positions 1 and 3" },
    ],
    [
      "a flat hole",
      poly(square, [hole[0], hole[1], hole[0], hole[1], hole[0]]),
      { path: "/coordinates/1", message: "ring 1 encloses no area" },
    ],
    [
      "a flat ring in part 0",
      multi([[square[0], square[1], square[0], square[1], square[0]]], [bowtie]),
      { path: "/coordinates/0/0", message: "MultiPolygon part 0 ring 0 encloses no area" },
    ],
    [
      "a hole with only its position 2 outside",
      poly(square, [hole[0], hole[1], [4.95, 52.375], hole[3], hole[0]]),
      {
        path: "/coordinates/1/2",
        message: "ring 1 is a hole but its position 2 lies outside the outline (ring 0)",
      },
    ],
    [
      "the second hole outside, in part 1",
      multi([square], [square, hole, outside]),
      {
        path: "/coordinates/1/2/0",
        message: `MultiPolygon part 1 ring 2 is a hole but its position 0 lies outside the outline (${part1}ring 0)`,
      },
    ],
    [
      "a hole touching the outline on its east edge and north-east corner",
      poly(square, [
        [4.895, 52.37],
        [4.9, 52.37],
        [4.9, 52.38],
        [4.895, 52.37],
      ]),
      null,
    ],
    [
      "a hole touching the outline on its north edge",
      poly(square, [
        [4.885, 52.375],
        [4.885, 52.38],
        [4.89, 52.38],
        [4.885, 52.375],
      ]),
      null,
    ],
  ];
  for (const [name, area, problem] of cases) test(name, () => assert.deepEqual(polygonProblem(area), problem));
});

describe("the winding kept", () => {
  test("a clockwise Polygon outline is turned, its clockwise hole kept", () => {
    const kept = rewound({ type: "Polygon", coordinates: [reversed(square), hole] });
    assert.deepEqual(kept, { type: "Polygon", coordinates: [square, hole] });
  });
  test("a counter-clockwise hole is turned, a counter-clockwise outline kept", () => {
    const kept = rewound({ type: "Polygon", coordinates: [square, reversed(hole)] });
    assert.deepEqual(kept, { type: "Polygon", coordinates: [square, hole] });
  });
  test("each part of a MultiPolygon on its own", () => {
    const kept = rewound({ type: "MultiPolygon", coordinates: [[reversed(square), reversed(hole)], [square]] });
    assert.deepEqual(kept, { type: "MultiPolygon", coordinates: [[square, hole], [square]] });
  });
  test("what was sent is not changed", () => {
    const sent: Ring[] = [reversed(square)];
    rewound({ type: "Polygon", coordinates: sent });
    assert.deepEqual(sent, [reversed(square)]);
  });
});
