// Preloaded into a child process (node --import tsx --import ./bench/lib/loop-monitor.ts …) to measure how late its
// event loop runs (a late loop fires the dispatcher's slot timers late) and how its heap behaves. Writes its figures
// to BENCH_LOOP_FILE every second, so that they survive however the process ends. Changes nothing in the code it
// watches, and never blocks it: a synchronous write, even to /tmp, waited up to 900 ms for the disk journal while
// PostgreSQL flushed its WAL, and showed as a stall of the very loop it measures.
import { subscribe } from "node:diagnostics_channel";
import type { ClientRequest } from "node:http";
import { writeFile } from "node:fs/promises";
import {
  monitorEventLoopDelay,
  performance,
  PerformanceObserver,
  constants,
  type PerformanceEntry,
} from "node:perf_hooks";

const file = process.env.BENCH_LOOP_FILE;
if (file) {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  const mb = (b: number) => Math.round(b / 2 ** 20);
  // The lowest heapUsed of each 10 s: what survives garbage collection. If these troughs climb, something is kept.
  const troughs: number[] = [];
  // Garbage-collection pauses stop the loop too: how many, how long in all and the longest, minor and major apart.
  const gc = { minor: { n: 0, ms: 0, max: 0 }, major: { n: 0, ms: 0, max: 0 } };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      const g = kind === constants.NODE_PERFORMANCE_GC_MINOR ? gc.minor : gc.major;
      g.n++;
      g.ms += e.duration;
      g.max = Math.max(g.max, e.duration);
    }
  }).observe({ entryTypes: ["gc"] });
  // When this process sent each call request (POST …/Calls.json), as the HTTP client begins it: the sender's side
  // of "never above the CPS in any 1 s window", to set beside what the carrier counts where it receives them.
  const callsSent: number[] = [];
  subscribe("http.client.request.start", (message) => {
    const req = (message as { request: ClientRequest }).request;
    if (req.method === "POST" && req.path.endsWith("/Calls.json"))
      callsSent.push(performance.timeOrigin + performance.now());
  });
  const maxInSecond = (times: number[]) => {
    let best = 0;
    for (let lo = 0, hi = 0; hi < times.length; hi++) {
      while (times[hi] - times[lo] >= 1000) lo++;
      best = Math.max(best, hi - lo + 1);
    }
    return best;
  };
  const round = (g: { n: number; ms: number; max: number }) => ({
    n: g.n,
    ms: Math.round(g.ms),
    max: Math.round(g.max * 100) / 100,
  });
  let trough = Infinity;
  let tick = 0;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    trough = Math.min(trough, m.heapUsed);
    if (++tick % 10 === 0) {
      troughs.push(mb(trough));
      trough = Infinity;
    }
    void writeFile(
      file,
      JSON.stringify({
        p50: ms(h.percentile(50)),
        p99: ms(h.percentile(99)),
        max: ms(h.max),
        mean: ms(h.mean),
        count: h.count,
        gc: { minor: round(gc.minor), major: round(gc.major) },
        callsSent: { n: callsSent.length, maxInSecond: maxInSecond(callsSent) },
        heap: {
          usedMb: mb(m.heapUsed),
          totalMb: mb(m.heapTotal),
          externalMb: mb(m.external),
          arrayBuffersMb: mb(m.arrayBuffers),
          troughs,
        },
      }),
    ).catch(() => {});
  }, 1000);
  timer.unref();
  // The bench sends SIGWINCH when the measured part begins, so that start-up does not count.
  process.on("SIGWINCH", () => {
    h.reset();
    for (const g of [gc.minor, gc.major]) Object.assign(g, { n: 0, ms: 0, max: 0 });
    callsSent.length = 0;
    troughs.length = 0;
    trough = Infinity;
    tick = 0;
  });
}
