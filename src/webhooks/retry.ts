/** The Standard Webhooks schedule after the first attempt; the last step repeats until maxAge. */
export const DEFAULT_RETRY_SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000];
export const DEFAULT_MAX_AGE_MS = 3 * 24 * 3_600_000;
/** A receiver may not push us further out than this with Retry-After. */
const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

export interface RetryPolicy {
  scheduleMs: number[];
  maxAgeMs: number;
  /** 0..1; tests pin it. */
  random: () => number;
}

/**
 * Delay before the next attempt after `attempts` failed ones, or null to give up. Jitter of ±20% keeps a
 * receiver that comes back from being hit by every delivery in the same millisecond.
 */
export function nextDelayMs(
  policy: RetryPolicy,
  attempts: number,
  ageMs: number,
  retryAfterMs: number | null,
): number | null {
  const { scheduleMs } = policy;
  const base = scheduleMs[Math.min(attempts - 1, scheduleMs.length - 1)] ?? 0;
  const jittered = Math.round(base * (0.8 + 0.4 * policy.random()));
  const delay = retryAfterMs === null ? jittered : Math.max(jittered, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
  return ageMs + delay > policy.maxAgeMs ? null : delay;
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}
