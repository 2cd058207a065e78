import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_MIX, createPopulation, dutchMobileNumbers, type PopulationKind } from "../../src/sim/index.ts";

describe("seeded populations", () => {
  const numbers = dutchMobileNumbers(20_000);

  it("gives the same persona for the same seed and number, whatever the order", () => {
    const a = createPopulation({ seed: 42 });
    const b = createPopulation({ seed: 42 });
    const sample = numbers.slice(0, 500);
    const forward = sample.map((n) => JSON.stringify(a.persona(n)));
    const backward = [...sample]
      .reverse()
      .map((n) => JSON.stringify(b.persona(n)))
      .reverse();
    assert.deepEqual(forward, backward);
    const other = createPopulation({ seed: 43 });
    assert.notDeepEqual(
      sample.map((n) => JSON.stringify(other.persona(n))),
      forward,
    );
  });

  it("draws kinds in the proportions of the mix", () => {
    const pop = createPopulation({ seed: "burgernet" });
    const counts = new Map<PopulationKind, number>();
    for (const n of numbers) counts.set(pop.kindOf(n), (counts.get(pop.kindOf(n)) ?? 0) + 1);
    for (const [kind, share] of Object.entries(DEFAULT_MIX) as [PopulationKind, number][]) {
      const got = (counts.get(kind) ?? 0) / numbers.length;
      assert.ok(Math.abs(got - share) < 0.01 + share * 0.15, `${kind}: ${got} vs ${share}`);
    }
  });

  it("matches kindOf and persona, and gives tippers a Dutch sentence after key 2", () => {
    const pop = createPopulation({
      seed: 7,
      mix: {
        tip: 1,
        listen: 0,
        noAnswer: 0,
        busy: 0,
        voicemail: 0,
        invalid: 0,
        failed: 0,
        replay: 0,
        connect: 0,
        unsubscribe: 0,
        invalidKey: 0,
        hangupEarly: 0,
      },
    });
    const persona = pop.persona(numbers[0]);
    assert.equal(pop.kindOf(numbers[0]), "tip");
    const [key, speech] = persona.script ?? [];
    assert.deepEqual(key, { digits: "2" });
    assert.ok(speech && "speech" in speech && speech.speech.length > 10);
  });

  it("makes distinct Dutch mobile numbers", () => {
    assert.equal(new Set(numbers).size, numbers.length);
    assert.ok(numbers.every((n) => /^\+316\d{8}$/.test(n)));
  });
});
