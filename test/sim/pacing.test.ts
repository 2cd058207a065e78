import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TwilioClient } from "../../src/twilio/client.ts";
import { FROM, emulatorWithClient } from "./helpers.ts";

const TWIML = "<Response><Say>Hallo</Say></Response>";

function createMany(client: TwilioClient, count: number, prefix: string) {
  return Promise.allSettled(
    Array.from({ length: count }, (_, i) =>
      client.calls.create({ to: `${prefix}${String(i).padStart(4, "0")}`, from: FROM, twiml: TWIML }),
    ),
  );
}

/** Most starts in any half-open window [t, t + 1000): checked here, not by the emulator itself. */
function densestSecond(starts: readonly number[]): number {
  const t = [...starts].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < t.length; j++) {
    while (t[j] - t[i] >= 1000) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

describe("Twilio's pacing and limits", () => {
  it("queues calls beyond the CPS and starts them at that rate, never more in any second", async () => {
    const cps = 20;
    const count = 50;
    const { emu, client } = await emulatorWithClient({ cps, concurrency: 1000 });
    try {
      const created = await createMany(client, count, "+3161100");
      assert.ok(
        created.every((r) => r.status === "fulfilled"),
        "all calls accepted (201), none rejected",
      );
      const queueTimes = created.map((r) => (r.status === "fulfilled" ? Number(r.value.queueTime) : 0));
      assert.ok(Math.max(...queueTimes) >= 1000, "later calls report a queue_time");
      await emu.waitFor(() => emu.callStarts().length === count, { timeoutMs: 10_000 });
      const starts = emu.callStarts();
      assert.equal(densestSecond(starts), cps);
      assert.equal(emu.maxStartsInWindow(1000), cps);
      const span = Math.max(...starts) - Math.min(...starts);
      // 50 starts at 20/s need 49 intervals of 50 ms; the pace must not fall far behind either.
      assert.ok(span >= 2400 && span < 2400 * 1.1, `span ${span} ms`);
    } finally {
      await emu.close();
    }
  });

  it("starts every call at once when uncapped", async () => {
    const { emu, client } = await emulatorWithClient({ cps: Infinity, concurrency: 1000 });
    try {
      await createMany(client, 200, "+3161200");
      await emu.waitFor(() => emu.callStarts().length === 200);
      // None waited in the carrier's CPS queue: each started when it was created.
      assert.ok(
        emu.calls().every((c) => c.queueTimeMs === 0),
        "no call was queued",
      );
    } finally {
      await emu.close();
    }
  });

  it("answers 429 / 20429 when more REST requests are in flight than the concurrency", async () => {
    const { emu, client } = await emulatorWithClient({ cps: 0, concurrency: 2, restLatencyMs: 50 });
    try {
      const results = await createMany(client, 10, "+3161300");
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      assert.ok(rejected.length >= 1, "some requests are refused");
      assert.ok(results.length - rejected.length >= 2, "up to the concurrency get through");
      for (const r of rejected) {
        assert.equal(r.reason.status, 429);
        assert.equal(r.reason.code, 20429);
      }
      assert.equal(emu.calls().length, results.length - rejected.length, "a refused request creates nothing");
    } finally {
      await emu.close();
    }
  });
});
