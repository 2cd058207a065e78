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

  test("formatPlate takes six letters and digits, nothing around them", () => {
    for (const plain of [" 12ABC3", "12ABC3 ", "-12ABC3", "12ABC3-", "12-ABC3"])
      assert.equal(formatPlate(plain), null, plain);
  });

  test("no text, no plates", () => {
    for (const text of [null, undefined, ""]) assert.deepEqual(platesIn(text), []);
  });

  test("spoken numbers: tens alone, 'oh' for zero, capitals, and a tens word before a two-digit number", () => {
    assert.deepEqual(platesIn("twintig a b c drie"), ["20-ABC-3"]);
    assert.deepEqual(platesIn("negentig x y z een"), ["90-XYZ-1"]);
    assert.deepEqual(platesIn("ninety x y z one"), ["90-XYZ-1"]);
    assert.deepEqual(platesIn("negenennegentig x y z een"), ["99-XYZ-1"]);
    assert.deepEqual(platesIn("one oh a b c three"), ["10-ABC-3"]);
    assert.deepEqual(platesIn("TWAALF A B C DRIE"), ["12-ABC-3"]);
    // "twenty twelve" is 20 then 12 (AB-20-12), not 32: only a single unit word completes a tens word.
    assert.deepEqual(platesIn("a b twenty twelve"), ["AB-20-12"]);
  });

  test("sentence punctuation between and after the parts of a plate", () => {
    assert.deepEqual(platesIn("Het kenteken: 12, ABC, 3"), ["12-ABC-3"]);
    assert.deepEqual(platesIn("Het was twaalf a b c drie."), ["12-ABC-3"]);
    assert.deepEqual(platesIn("Het was twaalf a b c drie. Daarna reed hij weg"), ["12-ABC-3"]);
    // Dots inside a typed plate join its groups, even a group that is also a word.
    assert.deepEqual(platesIn("kenteken de.12.ab"), ["DE-12-AB"]);
  });

  test("four digits: a plate's half before or after letters, a postcode only as 1234 AB", () => {
    assert.deepEqual(platesIn("kenteken AB 1234"), ["AB-12-34"]);
    assert.deepEqual(platesIn("kenteken 1234 a b"), ["12-34-AB"]);
    assert.deepEqual(platesIn("bij 1234 AB"), []);
  });

  test("a short word counts as a plate's letters when typed in capitals, a longer word never", () => {
    assert.deepEqual(platesIn("kenteken 12 DE 34"), ["12-DE-34"]);
    for (const text of ["zag 12 De 34", "zag 12 dE 34", "zag 12 HEt 34", "nummer 12 rood", "nummer 12 ROOD"])
      assert.deepEqual(platesIn(text), [], text);
  });
});
