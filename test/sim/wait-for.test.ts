import assert from "node:assert/strict";
import { test } from "node:test";
import { SimEvents, waitFor } from "../../src/sim/events.js";

// A promise is truthy: an async predicate once made a test's wait pass before the tip it waited for existed.
test("the emulator's waitFor refuses an async predicate instead of passing at once", async () => {
  const events = new SimEvents();
  await assert.rejects(
    waitFor(events, async () => false),
    /synchronous predicate/,
  );
});
