import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { descriptorsIn } from "../../src/tips/lexicon.js";

describe("vehicle and clothing words in a tip", () => {
  test("no text, no words", () => {
    for (const text of [null, undefined, ""]) assert.deepEqual(descriptorsIn(text), []);
  });

  test("accents and capitals are folded", () => {
    assert.deepEqual(descriptorsIn("een zwarte Škoda"), ["skoda"]);
    assert.deepEqual(descriptorsIn("ROOD JAS"), ["red jacket"]);
  });

  test("the colour one word before the item counts through punctuation and double spaces", () => {
    assert.deepEqual(descriptorsIn("een rode,  leren jas"), ["red jacket"]);
    assert.deepEqual(descriptorsIn("rode jas"), ["red jacket"], "the item's colour at the start of the tip");
    assert.deepEqual(descriptorsIn("jas, rood"), [], "a colour after the item is not its colour");
  });

  test("names of JavaScript's object properties are no words of the tables", () => {
    assert.deepEqual(descriptorsIn("constructor jas"), []);
    assert.deepEqual(descriptorsIn("rode constructor"), []);
    assert.deepEqual(descriptorsIn("constructor"), []);
  });
});
