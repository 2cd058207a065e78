import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseLicencePlate } from "../../src/templates/licence-plate.ts";
import { spokenSeconds } from "../../src/rules/spoken-length.ts";

describe("Dutch licence plates, written as the RDW writes them", () => {
  const sidecodes: Array<[number, string, string]> = [
    [1, "ab1234", "AB-12-34"],
    [2, "1234ab", "12-34-AB"],
    [3, "12ab34", "12-AB-34"],
    [4, "ab12cd", "AB-12-CD"],
    [5, "abcd12", "AB-CD-12"],
    [6, "12abcd", "12-AB-CD"],
    [7, "12abc3", "12-ABC-3"],
    [8, "1abc23", "1-ABC-23"],
    [9, "xx999x", "XX-999-X"],
    [10, "x999xx", "X-999-XX"],
    [11, "xxx99x", "XXX-99-X"],
    [12, "x99xxx", "X-99-XXX"],
    [13, "9xx999", "9-XX-999"],
    [14, "999xx9", "999-XX-9"],
  ];
  for (const [sidecode, typed, written] of sidecodes) {
    test(`sidecode ${sidecode}: "${typed}" is ${written}`, () => {
      const plate = parseLicencePlate(typed);
      assert.equal(plate?.written, written);
      assert.equal(plate?.sidecode, sidecode);
    });
  }

  test("spaces, dashes in other places and lower case are all the same plate", () => {
    for (const typed of ["12 ABC 3", " 12-abc-3 ", "1-2abc-3", "12ABC3"])
      assert.equal(parseLicencePlate(typed)?.written, "12-ABC-3", typed);
  });

  test("anything that is no sidecode 1–14 plate is refused", () => {
    for (const typed of ["", "12345", "1234567", "ABCDEF", "123456", "1A2B3C", "12-ÄBC-3", "12_ABC_3"])
      assert.equal(parseLicencePlate(typed), null, typed);
  });
});

describe("the spoken length estimate", () => {
  test("150 words a minute with pauses; a spelled plate counts each character", () => {
    assert.equal(spokenSeconds("Een twee drie vier vijf."), 2.4);
    const plate = spokenSeconds('Kenteken <say-as interpret-as="spell-out">12-ABC-3</say-as>.');
    // "Kenteken 1 2, A B C, 3." — 7 words, 2 commas, 1 sentence.
    assert.equal(plate, 3.6);
  });
});
