/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (!samples.length) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export const median = (samples: readonly number[]) => percentile(samples, 50);

/**
 * The rate over the steady part of a run: the starts between `trimMs` after the first and `trimMs` before the
 * last, as (n − 1) intervals over their span. Leaves out the ramp-up (first claim) and the tail.
 */
export function steadyRate(times: readonly number[], trimMs: number): { rate: number; count: number; spanMs: number } {
  const sorted = [...times].sort((a, b) => a - b);
  if (sorted.length < 2) return { rate: NaN, count: sorted.length, spanMs: 0 };
  const from = sorted[0] + trimMs;
  const to = sorted[sorted.length - 1] - trimMs;
  const inside = sorted.filter((t) => t >= from && t <= to);
  if (inside.length < 2) return { rate: NaN, count: inside.length, spanMs: 0 };
  const spanMs = inside[inside.length - 1] - inside[0];
  return { rate: ((inside.length - 1) * 1000) / spanMs, count: inside.length, spanMs };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitUntil<T>(
  check: () => Promise<T> | T,
  { timeoutMs, intervalMs = 200, what }: { timeoutMs: number; intervalMs?: number; what: string },
): Promise<Exclude<T, false | null | undefined | 0>> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as Exclude<T, false | null | undefined | 0>;
    if (performance.now() > end)
      throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await sleep(intervalMs);
  }
}
