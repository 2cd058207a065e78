import { setTimeout as sleep } from "node:timers/promises";

/** Simulated durations run `timeScale` times real time; pacing does not go through here. */
export interface SimClock {
  readonly timeScale: number;
  /** Waits `seconds` of simulated time; rejects with an AbortError when `signal` fires. */
  wait(seconds: number, signal?: AbortSignal): Promise<void>;
}

export function createSimClock(timeScale: number): SimClock {
  return {
    timeScale,
    wait(seconds, signal) {
      const ms = seconds * 1000 * timeScale;
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (ms <= 0) return Promise.resolve();
      return sleep(ms, undefined, signal ? { signal } : undefined);
    },
  };
}
