import { afterEach, beforeEach, mock, test } from "node:test";
import assert from "node:assert/strict";
import { createSlotLine, type LineEntry, type LostReason } from "../../src/dispatch/slot-line.js";
import type { HeldDelivery } from "../../src/deliveries/hold.js";
import type { TakenDelivery } from "../../src/deliveries/send.js";

// The line's decisions on a clock the test moves (mocked timers and Date): which delivery gets which slot.
const INTERVAL = 10;
/** The line's tolerance here: below the interval, as the times below are written for. */
const TOLERANCE = 8;

beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "Date"], now: 1_000 }));
afterEach(() => mock.timers.reset());

/** Takes answer after `takeMs[id]` ms (never, if absent); records every start and lost slot. */
function lineWith(takeMs: Record<number, number>, opts: { canFire?: () => boolean; busyFor?: () => number } = {}) {
  const starts: { id: number; at: number }[] = [];
  let lost = 0;
  const reasons: Partial<Record<LostReason, number>> = {};
  const line = createSlotLine({
    intervalMs: INTERVAL,
    toleranceMs: TOLERANCE,
    takeAheadMs: () => 15, // a slot's worth and a little more, as the dispatcher does
    // With `busyFor`, the line's clock is that far ahead of the timers: the loop was busy, they run late.
    now: () => Date.now() + (opts.busyFor?.() ?? 0),
    take: (e: LineEntry) => {
      const ms = takeMs[e.h.id];
      if (ms !== undefined) setTimeout(() => line.ready(e, { id: e.h.id } as TakenDelivery), ms);
    },
    fire: (e) => starts.push({ id: e.h.id, at: Date.now() + (opts.busyFor?.() ?? 0) }),
    canFire: opts.canFire ?? (() => true),
    onLost: (n, reason) => {
      lost += n;
      reasons[reason] = (reasons[reason] ?? 0) + n;
    },
  });
  return { line, starts, lost: () => lost, reasons };
}

const held = (...ids: number[]): HeldDelivery[] => ids.map((id) => ({ id, alert_id: "a", purpose: "alert" }));
const slotsFrom = (t0: number, n: number) => Array.from({ length: n }, (_, i) => t0 + i * INTERVAL);
const run = (ms: number) => {
  for (let i = 0; i < ms; i++) mock.timers.tick(1);
};

test("each delivery starts at its own slot, in line order, when the takes are on time", () => {
  const { line, starts, lost } = lineWith({ 1: 2, 2: 2, 3: 2 });
  line.add(held(1, 2, 3), false, slotsFrom(1_020, 3));
  run(100);
  assert.deepEqual(starts, [
    { id: 1, at: 1_020 },
    { id: 2, at: 1_030 },
    { id: 3, at: 1_040 },
  ]);
  assert.equal(lost(), 0);
});

test("a take a little late still gets its slot, within the tolerance", () => {
  const { line, starts } = lineWith({ 1: 18, 2: 2 }); // taken at 1 005, answered 3 ms after its slot
  line.add(held(1, 2), false, slotsFrom(1_020, 2));
  run(100);
  assert.deepEqual(starts, [
    { id: 1, at: 1_023 },
    { id: 2, at: 1_030 },
  ]);
});

test("a late take keeps its place: its slot passes unused and those behind it move one slot back", () => {
  // 1 is answered 10 ms after its slot. Before the line it took a new slot behind everything reserved.
  const { line, starts, lost, reasons } = lineWith({ 1: 25, 2: 2, 3: 2, 4: 2 });
  line.add(held(1, 2, 3, 4), false, slotsFrom(1_020, 4));
  run(200);
  assert.deepEqual(starts, [
    { id: 1, at: 1_030 },
    { id: 2, at: 1_040 },
    { id: 3, at: 1_050 },
  ]);
  assert.equal(lost(), 1);
  assert.deepEqual(reasons, { take: 1 }, "lost to a late take");
  assert.equal(line.owed(), 1, "4 waits for the slot owed");
});

test("a take answered after its slot's last moment counts as a late take, though its answer is what sees the loss", () => {
  let busyFor = 0;
  // 1 is taken at 1 005 and answered at 1 028 by the timers, 1 029 by the line's clock: 9 ms after its slot.
  const { line, starts, reasons } = lineWith({ 1: 23, 2: 2 }, { busyFor: () => busyFor });
  line.add(held(1, 2), false, slotsFrom(1_020, 2));
  run(27);
  busyFor = 1;
  run(30);
  assert.deepEqual(reasons, { take: 1 }, "the head was not ready in time: not the timer's fault");
  assert.deepEqual(starts[0], { id: 1, at: 1_030 });
});

test("a slot nobody is ready for is lost, never used late, and the line owes one", () => {
  const { line, starts, lost } = lineWith({ 1: 40, 2: 40 });
  const slots = slotsFrom(1_020, 2);
  line.add(held(1, 2), false, slots);
  run(200);
  assert.equal(starts.length, 0, "both slots passed before any take was answered");
  assert.equal(lost(), 2);
  assert.equal(line.owed(), 2);
  // The owed slots, reserved later, go to the two in line order.
  line.add([], false, slotsFrom(1_300, 2));
  run(200);
  assert.deepEqual(starts, [
    { id: 1, at: 1_300 },
    { id: 2, at: 1_310 },
  ]);
});

test("no start ever leaves earlier than its slot or later than the tolerance after it", () => {
  const takes = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [i, (i * 7) % 23]));
  const { line, starts } = lineWith(takes);
  const slots = slotsFrom(1_020, 50);
  line.add(held(...Array.from({ length: 50 }, (_, i) => i)), false, slots);
  run(1_000);
  assert.ok(starts.length > 0);
  for (const s of starts)
    assert.ok(
      slots.some((slot) => s.at >= slot && s.at - slot <= TOLERANCE),
      `start at ${s.at} is on no slot's time`,
    );
  assert.equal(new Set(starts.map((s) => s.id)).size, starts.length, "each delivery starts once");
});

test("a request refused on its way (not sent by its slot's last moment) takes the next slot, ahead of those behind it", () => {
  const refusedOnce = new Set<number>();
  const starts: number[] = [];
  const reasons: Partial<Record<LostReason, number>> = {};
  const line = createSlotLine({
    intervalMs: INTERVAL,
    toleranceMs: TOLERANCE,
    takeAheadMs: () => 15,
    now: () => Date.now(),
    take: (e) => setTimeout(() => line.ready(e, { id: e.h.id } as TakenDelivery), 2),
    // The agent refuses 1's request the first time (send-by.ts); the dispatcher puts it back.
    fire: (e) =>
      e.h.id === 1 && !refusedOnce.has(1)
        ? setTimeout(() => (refusedOnce.add(1), line.putBack(e)), 3)
        : starts.push(e.h.id),
    canFire: () => true,
    onLost: (n, reason) => (reasons[reason] = (reasons[reason] ?? 0) + n),
  });
  line.add(held(1, 2, 3), false, slotsFrom(1_020, 3));
  run(200);
  assert.deepEqual(starts, [1, 2], "1 first all the same; 3 waits for the slot owed");
  assert.deepEqual(reasons, { send: 1 });
  assert.equal(line.owed(), 1);
});

test("a slot passes unused while every request slot of the instance is busy", () => {
  let free = false;
  const { line, starts, lost, reasons } = lineWith({ 1: 2, 2: 2 }, { canFire: () => free });
  line.add(held(1, 2), false, slotsFrom(1_020, 2));
  run(29);
  assert.equal(starts.length, 0);
  assert.equal(lost(), 1);
  assert.deepEqual(reasons, { busy: 1 });
  free = true;
  line.pump();
  run(50);
  assert.deepEqual(starts, [{ id: 1, at: 1_030 }]);
  assert.equal(line.owed(), 1);
});

test("a slot whose timer comes too late (a busy event loop) passes unused, and says so", () => {
  let busyFor = 0;
  const { line, starts, reasons } = lineWith({ 1: 0, 2: 0 }, { busyFor: () => busyFor });
  line.add(held(1, 2), false, slotsFrom(1_020, 3));
  run(15); // 1 is taken and waits for the slot at 1 020
  busyFor = TOLERANCE + 1; // from here on, every timer runs 9 ms after it was due
  run(10);
  assert.deepEqual(reasons, { timer: 1 }, "the slot at 1 020 came 9 ms late: not used");
  assert.deepEqual(starts, [{ id: 1, at: 1_030 }], "the head took the next slot on its (late) time");
});

test("a slot due while the loop is busy starts at the next request, not at the late timer", () => {
  let busyFor = 0;
  const { line, starts, reasons } = lineWith({ 1: 0, 2: 0 }, { busyFor: () => busyFor });
  line.add(held(1, 2), false, slotsFrom(1_020, 2));
  run(15);
  line.poke();
  assert.equal(starts.length, 0, "nothing before its slot");
  busyFor = 5; // 1 020 by the clock; the slot's timer has not run
  line.poke();
  assert.deepEqual(starts, [{ id: 1, at: 1_020 }]);
  busyFor = 0;
  run(40);
  assert.deepEqual(
    starts.map((s) => s.id),
    [1, 2],
    "each once",
  );
  assert.deepEqual(reasons, {});
});

test("two starts are never closer than the interval, even when two slots are (batches mapped apart)", () => {
  const { line, starts, reasons } = lineWith({ 1: 0, 2: 0, 3: 0 });
  // The second batch's clock offset moved it 5 ms closer to the first: 1 030 and 1 035 are 5 ms apart.
  line.add(held(1, 2, 3), false, [1_020, 1_030 - 5, 1_030 - 5 + INTERVAL]);
  run(100);
  assert.deepEqual(starts, [
    { id: 1, at: 1_020 },
    { id: 2, at: 1_030 }, // 5 ms after its slot, within the tolerance, and one interval after the first
    { id: 3, at: 1_040 },
  ]);
  assert.deepEqual(reasons, {});
});

test("slots of a batch mapped closer still leave one interval apart, each shifted as little as needed", () => {
  const { line, starts, reasons } = lineWith({ 1: 0, 2: 0, 3: 0 });
  line.add(held(1, 2, 3), false, [1_020, 1_021, 1_030]);
  run(100);
  assert.deepEqual(starts, [
    { id: 1, at: 1_020 },
    { id: 2, at: 1_030 },
    { id: 3, at: 1_040 },
  ]);
  assert.deepEqual(reasons, {});
});
