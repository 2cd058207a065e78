import { LATE_TOLERANCE_MS } from "./pace.js";
import type { HeldDelivery } from "../deliveries/hold.js";
import type { TakenDelivery } from "../deliveries/send.js";

export interface LineEntry {
  h: HeldDelivery;
  probe: boolean;
  /** held: waiting to be taken; taking: the take is in flight; ready: taken (`sending`), waiting for a slot. */
  state: "held" | "taking" | "ready";
  d?: TakenDelivery;
  takenAt?: number;
  /** When the take's answer made it ready (the line's clock). */
  readyAt?: number;
  /** The (usable) time of the slot it was last fired at. */
  slotAt?: number;
}

/**
 * Why a slot passed unused: the head's take had not been answered (`take`: the database was slow), the head was
 * ready but the slot's timer came too late (`timer`: this process's event loop was busy), the request was begun but
 * not handed an open connection by the slot's last moment (`send`: this process was busy in between, or no connection
 * to the carrier was open yet; it was not sent), every request slot was in use (`busy`), or nobody was in line for it
 * (`empty`: deliveries that were not sent left their slots).
 */
export type LostReason = "take" | "timer" | "send" | "busy" | "empty";

export interface SlotLineOptions {
  intervalMs: number;
  /** How long before its expected slot a delivery is taken (the take's round trip and some). */
  takeAheadMs: () => number;
  /** Runs the take; calls `ready` or `remove` on the line when it is answered. */
  take: (e: LineEntry) => void;
  /** The slot is now: `e` leaves (or, if it may no longer, is put back) and is no longer in the line. */
  fire: (e: LineEntry) => void;
  /** False while as many requests are in flight as the instance allows: a slot then passes unused. */
  canFire: () => boolean;
  /** `n` slots passed unused: the line owes as many. */
  onLost: (n: number, reason: LostReason) => void;
  /** How late a slot may still be used (LATE_TOLERANCE_MS unless a test sets its own). */
  toleranceMs?: number;
  /** performance.now() unless a test moves the clock. */
  now?: () => number;
}

/**
 * One channel's local line: the deliveries this instance holds, in the order they are to start (urgent, the unit's
 * turn, rank), and the start slots it reserved on the shared pace. Each slot goes to the first delivery in line, once
 * it is taken. One whose take is late keeps its place and gets the next slot, and those behind it move one slot
 * back. A slot that passes with the head not ready is lost, never used late (the pace's invariant), and the line owes
 * one: the channel loop reserves it behind what is reserved.
 */
export function createSlotLine(o: SlotLineOptions) {
  const entries: LineEntry[] = [];
  const slots: number[] = [];
  let slotTimer: NodeJS.Timeout | undefined;
  let takeTimer: NodeJS.Timeout | undefined;
  /** The (usable) time of the last slot a request left at. */
  let lastUsed = -Infinity;
  const clock = o.now ?? (() => performance.now());
  const tolerance = o.toleranceMs ?? LATE_TOLERANCE_MS;

  /** Where the k-th in line is expected to start, as things stand. */
  function expectedSlot(k: number) {
    if (k < slots.length) return slots[k];
    const last = slots.length ? slots[slots.length - 1] : clock();
    return last + (k - slots.length + 1) * o.intervalMs;
  }

  function pumpTakes() {
    clearTimeout(takeTimer);
    takeTimer = undefined;
    const now = clock();
    const ahead = o.takeAheadMs();
    for (let k = 0; k < entries.length; k++) {
      const e = entries[k];
      if (e.state !== "held") continue;
      const due = expectedSlot(k) - ahead;
      if (due > now) {
        takeTimer = setTimeout(pumpTakes, due - now);
        return;
      }
      e.state = "taking";
      o.take(e);
    }
  }

  /**
   * When the head slot may be used: its time, but never closer than the interval to the last slot used. Slots of
   * different batches are mapped from the database's clock with the offset known when each was reserved; a better
   * estimate (the first seconds of a process) moves a later batch closer to the one before, and 11 calls left in
   * one second at 10 CPS. Such a slot is used that much later instead.
   */
  const usable = () => Math.max(slots[0], lastUsed + o.intervalMs);

  function pumpSlots() {
    clearTimeout(slotTimer);
    slotTimer = undefined;
    const now = clock();
    // Why the first slot that passes is lost: a head that became ready only after the slot's last moment was a late
    // take, even though it is ready now (its answer is what runs this pump).
    const head = entries[0];
    const lastMoment = slots.length ? usable() + tolerance : Infinity;
    const reason: LostReason = !head
      ? "empty"
      : head.state !== "ready" || head.readyAt! > lastMoment
        ? "take"
        : o.canFire()
          ? "timer"
          : "busy";
    let lost = 0;
    while (slots.length && now - usable() > tolerance) {
      slots.shift();
      lost++;
    }
    // Strictly in line order: a slot the head is not ready for passes rather than go to someone behind it (in a
    // 4,000-call run letting the next ready one pass would have saved 0-6 slots, and it broke nearest first).
    while (slots.length && usable() <= now && entries[0]?.state === "ready" && o.canFire()) {
      const e = entries.shift()!;
      lastUsed = usable();
      e.slotAt = lastUsed;
      slots.shift();
      o.fire(e);
    }
    if (slots.length) {
      const at = usable();
      const next = at > now ? at : at + tolerance;
      slotTimer = setTimeout(pumpSlots, Math.max(1, next - now));
    }
    if (lost) o.onLost(lost, reason);
    pumpTakes();
  }

  return {
    /** New deliveries in order, behind those already in line; `slots` more start slots (ascending, after the last). */
    add(held: HeldDelivery[], probe: boolean, newSlots: number[]) {
      for (const h of held) entries.push({ h, probe, state: "held" });
      slots.push(...newSlots);
      pumpSlots();
    },
    /** The take answered `sending`. */
    ready(e: LineEntry, d: TakenDelivery) {
      if (!entries.includes(e)) return false;
      Object.assign(e, { state: "ready", d, readyAt: clock() });
      pumpSlots();
      return true;
    },
    /**
     * Fired, but not sent by its slot's last moment (SendTooLateError): back at the head of the line, still taken,
     * for the next slot. Its slot is lost, and the line owes one.
     */
    putBack(e: LineEntry) {
      entries.unshift(e);
      o.onLost(1, "send");
      pumpSlots();
    },
    /** Out of line without a slot (not sent, released, dropped). */
    remove(e: LineEntry) {
      const i = entries.indexOf(e);
      if (i >= 0) entries.splice(i, 1);
      pumpTakes();
    },
    /** A request finished: room for the next. */
    pump: pumpSlots,
    /**
     * A chance to start a slot that is due now, from wherever the process is: a timer waits for the loop's timer
     * phase, and while a burst of requests is being handled that can be more than the tolerance away.
     */
    poke() {
      if (slots.length && usable() <= clock() && entries[0]?.state === "ready") pumpSlots();
    },
    /** Deliveries in line without a slot of their own. */
    owed: () => Math.max(0, entries.length - slots.length),
    size: () => entries.length,
    slotCount: () => slots.length,
    /** The last slot reserved, or -Infinity. */
    lastSlot: () => (slots.length ? slots[slots.length - 1] : -Infinity),
    /** Empties the line (stop, channel closed): the caller puts back what each entry holds. */
    drain(): LineEntry[] {
      clearTimeout(slotTimer);
      clearTimeout(takeTimer);
      slots.length = 0;
      return entries.splice(0);
    },
    /** Takes out the entries not yet taken (`held`), e.g. when the channel closed. */
    drainHeld(): LineEntry[] {
      const out = entries.filter((e) => e.state === "held");
      out.forEach((e) => entries.splice(entries.indexOf(e), 1));
      return out;
    },
  };
}

export type SlotLine = ReturnType<typeof createSlotLine>;
