import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fieldsOf, parseSentence, renderSentence, SentenceError } from "../../src/templates/sentence.ts";
import { parseLicencePlate, spokenPlateMarkup } from "../../src/templates/licence-plate.ts";
import { plainSpoken, spokenSeconds } from "../../src/rules/spoken-length.ts";

const render = (s: string, values: Record<string, string>) => renderSentence(parseSentence(s), values);

describe("template sentences", () => {
  test("{field} takes the value; [ … ] is left out unless every field in it is given", () => {
    const s = "Vermist kind[ {name}], {age} jaar[, laatst gezien om {at} bij {place}].";
    assert.equal(
      render(s, { name: "Sem", age: "8", at: "20:45", place: "de Dam" }),
      "Vermist kind Sem, 8 jaar, laatst gezien om 20:45 bij de Dam.",
    );
    assert.equal(render(s, { age: "8", at: "20:45" }), "Vermist kind, 8 jaar.");
    assert.equal(render(s, { age: "8" }), "Vermist kind, 8 jaar.");
  });

  test("white space is one space, none at the ends; a missing value outside [ ] is left empty", () => {
    assert.equal(render("  Let   op {a}\n\tnu  ", { a: "hier" }), "Let op hier nu");
    assert.equal(render("A {a} B", {}), "A B");
  });

  test("fields are told apart: always needed, or inside a group", () => {
    assert.deepEqual(fieldsOf(parseSentence("{a} en {b}[ met {c}][ of {d} {e}]")), {
      always: ["a", "b"],
      inGroups: ["c", "d", "e"],
    });
  });

  for (const [sentence, problem] of [
    ["[ a [ {b} ] ]", "has a [ inside a [ ]"],
    ["a ] b", "has a ] without its ["],
    ["a [ b ] c", "has a [ ] without a {field} in it"],
    ["a { b", "has a lone {"],
    ["a } b", "has a lone }"],
    ["a [ {b}", "has a [ without its ]"],
  ] as const) {
    test(`"${sentence}" ${problem}`, () => {
      assert.throws(
        () => parseSentence(sentence),
        (err: unknown) => err instanceof SentenceError && err.message === problem,
      );
    });
  }
});

describe("a plate in a voice text", () => {
  test("is SSML spell-out of the plate as written; read plainly it is spelled in groups", () => {
    const markup = spokenPlateMarkup(parseLicencePlate("xx999x")!);
    assert.equal(markup, '<say-as interpret-as="spell-out">XX-999-X</say-as>');
    assert.equal(plainSpoken(`Kenteken ${markup}.`), "Kenteken X X, 9 9 9, X.");
  });

  test("the estimate counts words (not stray punctuation), sentence ends only before a space or the end", () => {
    assert.equal(spokenSeconds("een  twee — drie"), 1.2);
    assert.equal(spokenSeconds("een.twee drie"), 0.8);
    assert.equal(spokenSeconds("een. twee. drie"), 2);
    assert.equal(spokenSeconds(""), 0);
  });
});
