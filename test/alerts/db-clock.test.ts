import { test } from "node:test";
import assert from "node:assert/strict";
import { createDbClock } from "../../src/dispatch/db-clock.js";

// The database clock runs 1,000,000 ms ahead of this process's monotonic clock in these examples.
const AHEAD = 1_000_000;

test("a slot maps onto local time through the quickest round trip, not the latest reply", () => {
  const clock = createDbClock();
  clock.sample(100, 102, 101 + AHEAD); // answered in 2 ms
  // The next reply sat 40 ms in a busy event loop: read as "the database's now is our now", it would put
  // every slot of the batch 40 ms late, into the next instance's slots.
  clock.sample(200, 241, 201 + AHEAD);
  assert.equal(clock.toLocal(500 + AHEAD), 500);
});

test("old samples give way, so the mapping follows the clocks as they drift", () => {
  const clock = createDbClock(30_000);
  clock.sample(0, 1, 0.5 + AHEAD);
  clock.sample(40_000, 40_010, 40_005 + AHEAD + 3); // the database clock has moved 3 ms meanwhile
  assert.equal(clock.toLocal(50_000 + AHEAD), 50_000 - 3);
});

test("new slots start far enough ahead that a slow reply still finds them in the future", () => {
  const clock = createDbClock();
  assert.equal(clock.leadMs(), 10, "no round trip seen yet");
  clock.sample(0, 2, 1 + AHEAD);
  assert.equal(clock.leadMs(), 10, "a quick database");
  clock.sample(100, 140, 120 + AHEAD);
  assert.equal(clock.leadMs(), 60, "a reply that waited 40 ms in a busy event loop");
  clock.sample(200, 1200, 700 + AHEAD);
  assert.equal(clock.leadMs(), 250, "never more than a quarter second");
});

test("without a sample there is no mapping to guess", () => {
  assert.throws(() => createDbClock().toLocal(AHEAD), /no database time/);
});
