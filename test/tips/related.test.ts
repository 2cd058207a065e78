import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { descriptorsIn } from "../../src/tips/lexicon.js";
import { clusterFor, coarsePlace, NEAR_METRES, NEAR_MINUTES, relatedBy } from "../../src/tips/related.js";

const t0 = new Date("2026-12-07T20:00:00Z");
const minutes = (m: number) => new Date(t0.getTime() + m * 60_000);
const tip = (id: string, o: Partial<Parameters<typeof relatedBy>[0]> = {}) => ({
  id,
  createdAt: t0,
  plates: [],
  descriptors: [],
  place: null,
  ...o,
});
// 0.001° of latitude is 111 m.
const north = (m: number) => ({ lat: 52.37 + m / 111_195, lon: 4.89 });

describe("vehicle and clothing words", () => {
  test("a colour with an item, in Dutch or English, is one descriptor; makes count alone", () => {
    assert.deepEqual(descriptorsIn("Een man met een rode jas bij de Dam"), ["red jacket"]);
    assert.deepEqual(descriptorsIn("a man in a red jacket"), ["red jacket"]);
    assert.deepEqual(descriptorsIn("Zwarte VW Golf en een witte bestelbus"), ["volkswagen", "white van"]);
    assert.deepEqual(descriptorsIn("grijze leren jas"), ["grey jacket"]);
  });

  test("an item without a colour is in every tip and names nothing", () => {
    assert.deepEqual(descriptorsIn("een auto reed weg, man met jas"), []);
  });
});

describe("when two tips are related", () => {
  test("the same plate, or the same descriptor", () => {
    assert.equal(relatedBy(tip("a", { plates: ["12-ABC-3"] }), tip("b", { plates: ["12-ABC-3"] })), "plate");
    assert.equal(relatedBy(tip("a", { plates: ["12-ABC-3"] }), tip("b", { plates: ["12-ABC-4"] })), null);
    assert.equal(
      relatedBy(tip("a", { descriptors: ["red jacket"] }), tip("b", { descriptors: ["red jacket"] })),
      "words",
    );
    assert.equal(
      relatedBy(tip("a", { descriptors: ["red jacket"] }), tip("b", { descriptors: ["blue jacket"] })),
      null,
    );
  });

  test(`close: within ${NEAR_METRES} m and ${NEAR_MINUTES} minutes, both edges included`, () => {
    const here = tip("a", { place: north(0) });
    assert.equal(
      relatedBy(here, tip("b", { place: north(NEAR_METRES - 1), createdAt: minutes(NEAR_MINUTES) })),
      "place",
    );
    assert.equal(relatedBy(here, tip("b", { place: north(NEAR_METRES + 5), createdAt: minutes(1) })), null);
    assert.equal(relatedBy(here, tip("b", { place: north(10), createdAt: minutes(NEAR_MINUTES + 0.1) })), null);
    assert.equal(relatedBy(here, tip("b", { createdAt: minutes(1) })), null, "no place: never close");
  });

  test("a place is put on a 0.002° grid, never the address itself", () => {
    assert.deepEqual(coarsePlace(52.37312, 4.89263), { lat: 52.374, lon: 4.892 });
  });
});

describe("the cluster a new tip joins", () => {
  const earlier = [
    { ...tip("c1", { plates: ["12-ABC-3"], createdAt: minutes(0) }), clusterId: "c1" },
    { ...tip("c2", { descriptors: ["red jacket"], createdAt: minutes(2) }), clusterId: "c2" },
    { ...tip("c2b", { createdAt: minutes(3) }), clusterId: "c2" },
  ];

  test("unrelated: a cluster of its own, named by the tip", () => {
    assert.deepEqual(clusterFor(tip("n", { createdAt: minutes(5) }), earlier), {
      clusterId: "n",
      merged: [],
      reasons: [],
    });
  });

  test("related to one group: joins it", () => {
    const r = clusterFor(tip("n", { descriptors: ["red jacket"], createdAt: minutes(5) }), earlier);
    assert.deepEqual(r, { clusterId: "c2", merged: [], reasons: ["words"] });
  });

  test("related to two groups: they merge into the one whose first tip came first", () => {
    const r = clusterFor(tip("n", { plates: ["12-ABC-3"], descriptors: ["red jacket"], createdAt: minutes(5) }), [
      ...earlier.slice(1),
      earlier[0],
    ]);
    assert.deepEqual(
      { ...r, reasons: r.reasons.sort() },
      { clusterId: "c1", merged: ["c2"], reasons: ["plate", "words"] },
    );
  });

  test("a group's age is that of its oldest tip, whatever the order the tips are read in", () => {
    const r = clusterFor(tip("n", { plates: ["AB-12-CD"], descriptors: ["red jacket"], createdAt: minutes(9) }), [
      { ...tip("x2", { plates: ["AB-12-CD"], createdAt: minutes(8) }), clusterId: "x" },
      { ...tip("y1", { descriptors: ["red jacket"], createdAt: minutes(4) }), clusterId: "y" },
      { ...tip("x1", { createdAt: minutes(0) }), clusterId: "x" },
    ]);
    assert.deepEqual([r.clusterId, r.merged], ["x", ["y"]]);
  });

  test("two groups as old as each other: the smaller id stays", () => {
    for (const order of [
      ["b", "a"],
      ["a", "b"],
    ]) {
      const earlier = order.map((id) => ({
        ...tip(id, { plates: ["AB-12-CD"], createdAt: minutes(1) }),
        clusterId: id,
      }));
      const r = clusterFor(tip("n", { plates: ["AB-12-CD"], createdAt: minutes(2) }), earlier);
      assert.deepEqual([r.clusterId, r.merged], ["a", ["b"]], order.join());
    }
  });
});
