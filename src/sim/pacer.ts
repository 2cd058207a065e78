import { performance } from "node:perf_hooks";

export interface PacerOptions<T> {
  /** Calls started per second; 0 or Infinity = uncapped. */
  cps: number;
  /** Calls that may wait in the queue at once. */
  queueSize: number;
  /** Called when an item leaves the queue, with its start time (epoch ms, fractional). */
  start(item: T, startedAt: number): void;
  /** Items canceled while queued are dropped without using a slot. */
  isLive(item: T): boolean;
}

export interface Pacer<T> {
  /**
   * Queues an item that reached the carrier at `arrivedAt` (performance.now() ms); returns the estimated wait
   * in ms, or undefined when the queue is full. Uncapped, the item starts at its arrival.
   */
  enqueue(item: T, arrivedAt?: number): number | undefined;
  readonly size: number;
  readonly full: boolean;
  close(): void;
}

/** A hair over the window, so that start times compared as epoch doubles never look one start too dense. */
const WINDOW_MARGIN_MS = 0.05;

/**
 * Starts queued items at most `cps` per any sliding window of one second, in real time.
 * Starts follow an even grid (no bursts after a backlog), and a ring of the last `cps` start times
 * guarantees the window bound even when a timer fires late and the grid catches up.
 */
export function createPacer<T>(opts: PacerOptions<T>): Pacer<T> {
  const uncapped = !(opts.cps > 0 && Number.isFinite(opts.cps));
  const ringSize = uncapped ? 1 : Math.max(1, Math.floor(opts.cps));
  const windowMs = uncapped ? 0 : (1000 * ringSize) / opts.cps + WINDOW_MARGIN_MS;
  const intervalMs = uncapped ? 0 : 1000 / opts.cps;
  const ring = new Float64Array(ringSize).fill(-Infinity);
  let ringIndex = 0;
  let nextSlot = -Infinity;
  let queue: { item: T; arrivedAt: number }[] = [];
  let head = 0;
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  let closed = false;

  const size = () => queue.length - head;

  function pump(): void {
    timer = undefined;
    immediate = undefined;
    while (head < queue.length && !closed) {
      const { item, arrivedAt } = queue[head];
      if (!opts.isLive(item)) {
        head++;
        continue;
      }
      const now = performance.now();
      if (!uncapped) {
        const earliest = Math.max(nextSlot, ring[ringIndex] + windowMs);
        if (earliest > now) {
          timer = setTimeout(pump, Math.max(1, Math.ceil(earliest - now)));
          break;
        }
        ring[ringIndex] = now;
        ringIndex = (ringIndex + 1) % ringSize;
        nextSlot = Math.max(nextSlot + intervalMs, now - windowMs);
      }
      head++;
      opts.start(item, performance.timeOrigin + (uncapped ? arrivedAt : now));
    }
    if (head > 4096 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
  }

  return {
    enqueue(item, arrivedAt) {
      if (closed || size() >= opts.queueSize) return undefined;
      const ahead = size();
      const now = performance.now();
      queue.push({ item, arrivedAt: arrivedAt ?? now });
      if (ahead === 0 && nextSlot < now) nextSlot = now;
      // Deferred so the REST reply (status queued) goes out before the call starts.
      if (timer === undefined && immediate === undefined) immediate = setImmediate(pump);
      return uncapped ? 0 : Math.round(Math.max(0, nextSlot - now) + ahead * intervalMs);
    },
    get size() {
      return size();
    },
    get full() {
      return closed || size() >= opts.queueSize;
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      if (immediate) clearImmediate(immediate);
      queue = [];
      head = 0;
    },
  };
}

/** Most events within any window of `windowMs` (times in ms, any order): how a carrier's CPS is judged. */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi] - sorted[lo] >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}
