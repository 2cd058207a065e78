import { test } from "node:test";
import assert from "node:assert/strict";
import { createChannelGate } from "../../src/dispatch/channel-gate.js";

test("the breaker opens after 3 outages in a row, lets one probe through after a backoff that doubles, with jitter", () => {
  let now = 0;
  let rnd = 1;
  const gate = createChannelGate({ baseMs: 1_000, maxMs: 4_000, threshold: 3, now: () => now, random: () => rnd });
  assert.equal(gate.outage(), false);
  assert.equal(gate.outage(), false);
  assert.ok(gate.open, "two outages: still sending");
  assert.equal(gate.outage(), true, "the third opens the breaker");
  assert.deepEqual([gate.open, gate.reason, gate.waitMs()], [false, "outage", 1_000]);
  assert.equal(gate.startProbe(), false, "not before the backoff");
  now = 1_000;
  assert.equal(gate.startProbe(), true);
  assert.equal(gate.startProbe(), false, "one probe at a time");
  gate.outage(); // the probe failed: twice the wait
  assert.equal(gate.waitMs(), 2_000);
  now += 2_000;
  assert.equal(gate.startProbe(), true);
  gate.outage();
  rnd = 0; // jitter: between half and all of the (capped) delay
  now += 4_000;
  assert.equal(gate.startProbe(), true);
  gate.outage();
  assert.equal(gate.waitMs(), 2_000, "capped at 4 s, then jittered down to half");
  now += 2_000;
  assert.equal(gate.startProbe(), true);
  assert.equal(gate.answered(), "outage", "the carrier answered: open again");
  assert.deepEqual([gate.open, gate.waitMs()], [true, 0]);
  assert.equal(gate.outage(), false, "the count starts again");
});

test("an account halt outranks an outage and is lifted only by a probe the carrier answers", () => {
  let now = 0;
  const gate = createChannelGate({ baseMs: 100, now: () => now, random: () => 1 });
  assert.equal(gate.halt(), true);
  assert.equal(gate.reason, "halted");
  now = 100;
  assert.ok(gate.startProbe());
  gate.outage(); // the probe met a 500: still halted, longer wait
  assert.deepEqual([gate.reason, gate.waitMs()], ["halted", 200]);
  now = 300;
  assert.ok(gate.startProbe());
  gate.probeAbandoned(); // its delivery was skipped at the send-time check: another may go at once
  assert.ok(gate.startProbe());
  assert.equal(gate.answered(), "halted");
  assert.ok(gate.open);
});
