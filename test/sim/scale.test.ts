import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createPopulation, dutchMobileNumbers, type PopulationKind } from "../../src/sim/index.ts";
import { FROM, emulatorWithClient } from "./helpers.ts";

const TWIML =
  '<Response><Say language="nl-NL">Burgernet melding. Gezocht wordt een man van ongeveer dertig jaar.</Say>' +
  '<Gather numDigits="1" timeout="3"><Say language="nl-NL">Druk 2 voor een tip.</Say></Gather></Response>';

const EXPECTED: Record<PopulationKind, string | undefined> = {
  listen: "completed",
  tip: "completed",
  replay: "completed",
  connect: "completed",
  unsubscribe: "completed",
  invalidKey: "completed",
  hangupEarly: "completed",
  voicemail: "completed",
  noAnswer: "no-answer",
  busy: "busy",
  failed: "failed",
  invalid: undefined,
};

describe("a population on a sped-up clock", () => {
  it("runs three hundred calls to the end in seconds, each as its persona says", async () => {
    const population = createPopulation({ seed: "scale" });
    const numbers = dutchMobileNumbers(300, 500_000);
    const { emu, client } = await emulatorWithClient({ cps: 0, concurrency: 1000, personas: population.persona });
    try {
      let next = 0;
      const refused: string[] = [];
      await Promise.all(
        Array.from({ length: 64 }, async () => {
          while (next < numbers.length) {
            const to = numbers[next++];
            try {
              await client.calls.create({ to, from: FROM, twiml: TWIML });
            } catch (err) {
              assert.equal((err as { code?: number }).code, 21211);
              refused.push(to);
            }
          }
        }),
      );
      await emu.waitFor(() => emu.stats().active === 0 && emu.calls().every((c) => c.endedAt !== undefined), {
        timeoutMs: 20_000,
      });
      for (const to of numbers) {
        const kind = population.kindOf(to);
        const [call] = emu.callsTo(to);
        assert.equal(call?.status, EXPECTED[kind], `${kind} ${to}`);
      }
      assert.deepEqual(refused.sort(), numbers.filter((n) => population.kindOf(n) === "invalid").sort());
      const tipper = numbers.find((n) => population.kindOf(n) === "tip");
      assert.ok(
        tipper && emu.transcript(emu.callsTo(tipper)[0].sid).some((e) => e.kind === "pressed" && e.digits === "2"),
      );
    } finally {
      await emu.close();
    }
  });
});
