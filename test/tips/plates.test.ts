import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatPlate, platesIn } from "../../src/tips/plates.js";

describe("licence plates in a tip", () => {
  test("every RDW sidecode 1–14 is recognised typed without dashes and shown with them", () => {
    const table: [string, string][] = [
      ["AB1234", "AB-12-34"],
      ["1234AB", "12-34-AB"],
      ["12AB34", "12-AB-34"],
      ["AB12CD", "AB-12-CD"],
      ["ABCD12", "AB-CD-12"],
      ["12ABCD", "12-AB-CD"],
      ["12ABC3", "12-ABC-3"],
      ["1ABC23", "1-ABC-23"],
      ["AB123C", "AB-123-C"],
      ["A123BC", "A-123-BC"],
      ["ABC12D", "ABC-12-D"],
      ["A12BCD", "A-12-BCD"],
      ["1AB234", "1-AB-234"],
      ["123AB4", "123-AB-4"],
    ];
    for (const [plain, shown] of table) assert.equal(formatPlate(plain), shown, plain);
  });

  test("six characters that fit no sidecode are no plate", () => {
    for (const plain of ["123456", "ABCDEF", "1A2B3C", "12AB3", "12ABC34"])
      assert.equal(formatPlate(plain), null, plain);
  });

  test("typed with dashes, dots, spaces or in lower case, the same plate", () => {
    for (const text of [
      "Ik zag de 12-ABC-3 bij de pomp",
      "kenteken 12abc3",
      "12.ABC.3 reed weg",
      "auto met kenteken 12 ABC 3!",
      "zag de 12 abc 3 rijden",
    ])
      assert.deepEqual(platesIn(text), ["12-ABC-3"], text);
  });

  test("spoken in Dutch or English, numbers as words or digit by digit", () => {
    for (const text of [
      "twaalf a b c drie",
      "één twee a b c drie",
      "een twee a b c drie",
      "twelve a b c three",
      "one two a b c three",
      "het kenteken was twaalf bee cee dee drie",
    ])
      assert.match(platesIn(text)[0] ?? "", /^12-(ABC|BCD)-3$/, text);
    assert.deepEqual(platesIn("eenentwintig x y z vier"), ["21-XYZ-4"]);
    assert.deepEqual(platesIn("drieënveertig k l m vijf"), ["43-KLM-5"]);
    assert.deepEqual(platesIn("twenty one b c d f g"), ["21-BC-DF"]);
  });

  test("common short words are not read as a plate's letters", () => {
    assert.deepEqual(platesIn("twaalf en a b c d"), [], "not 12-NA-BC: en is 'and'");
    assert.deepEqual(platesIn("zag de 12 ab 34"), ["12-AB-34"]);
    assert.deepEqual(platesIn("een man met een rode jas"), []);
  });

  test("a phone number, a time or a postcode is no plate", () => {
    for (const text of [
      "bel me op 06 12 34 56 78",
      "om 21:30 bij 1012 AB",
      "postcode 1012AB",
      "0612345678",
      "huisnummer 12a",
    ])
      assert.deepEqual(platesIn(text), [], text);
  });

  test("sidecode 2 typed with dashes is a plate, even though a postcode has its shape", () => {
    assert.deepEqual(platesIn("kenteken 10-12-AB"), ["10-12-AB"]);
  });

  test("several plates each once, in the order named", () => {
    assert.deepEqual(platesIn("AB-12-CD reed achter 1-ABC-23 aan; weer AB-12-CD"), ["AB-12-CD", "1-ABC-23"]);
  });
});
