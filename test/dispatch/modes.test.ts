import { test } from "node:test";
import assert from "node:assert/strict";
import { createModes, type DispatcherMode } from "../../src/dispatch/modes.js";

test("the dispatcher's life cycle: idle → warming → running → stopping → stopped, any other change throws", () => {
  const seen: string[] = [];
  const modes = createModes((from, to) => seen.push(`${from}>${to}`));
  assert.equal(modes.current, "idle");
  assert.equal(modes.live, false);
  assert.throws(() => modes.to("running"), /from idle to running/, "never running before warming");
  for (const m of ["warming", "running", "stopping", "stopped"] as DispatcherMode[]) modes.to(m);
  assert.deepEqual(seen, ["idle>warming", "warming>running", "running>stopping", "stopping>stopped"]);
  assert.throws(() => modes.to("running"), /from stopped to running/);
  modes.to("warming"); // started again
  assert.equal(modes.live, true);
  modes.to("stopping"); // stopped while warming: never runs
  assert.equal(modes.live, false);
  assert.throws(() => modes.to("running"));
});

test("a dispatcher stopped before it started goes straight to stopped", () => {
  const modes = createModes();
  modes.to("stopped");
  assert.equal(modes.current, "stopped");
});
