/**
 * Whether a channel may send now: a circuit breaker for outages and a halt for account-level refusals. Closed, it
 * lets one probe through after an exponential backoff with jitter; the probe's outcome opens it or doubles the
 * wait. Pure apart from the clock and the random source it is given.
 */
export interface GateOptions {
  /** First wait after the gate closes; doubled on every failed probe, up to maxMs. */
  baseMs?: number;
  maxMs?: number;
  /** Outage failures in a row that open the breaker. */
  threshold?: number;
  now?: () => number;
  random?: () => number;
}

export type GateReason = "halted" | "outage";

export function createChannelGate(opts: GateOptions = {}) {
  const { baseMs = 1_000, maxMs = 60_000, threshold = 3, now = () => performance.now(), random = Math.random } = opts;
  let reason: GateReason | null = null;
  let until = 0;
  let trips = 0;
  let failures = 0;
  let probing = false;

  function close(why: GateReason) {
    // An account halt outranks an outage: only a probe that gets an answer from the carrier lifts it.
    reason = reason === "halted" ? "halted" : why;
    const delay = Math.min(maxMs, baseMs * 2 ** trips);
    trips++;
    until = now() + delay / 2 + (random() * delay) / 2;
    probing = false;
  }

  return {
    get open() {
      return reason === null;
    },
    get reason() {
      return reason;
    },
    /** Milliseconds until the next probe may go (0 when open or due). */
    waitMs: () => (reason === null ? 0 : Math.max(0, until - now())),
    /** Closed, due, and no probe out: the caller sends exactly one request as the probe. */
    startProbe(): boolean {
      if (reason === null || probing || now() < until) return false;
      probing = true;
      return true;
    },
    /** The probe never reached the carrier (its delivery was skipped): another may go. */
    probeAbandoned() {
      probing = false;
    },
    /** The carrier answered (accepted, or refused the number): returns the reason the gate was closed for. */
    answered(): GateReason | null {
      const was = reason;
      failures = 0;
      trips = 0;
      probing = false;
      reason = null;
      return was;
    },
    /** 5xx, 429, no answer: returns true when this closed the gate. */
    outage(): boolean {
      failures++;
      if (reason === null && failures < threshold) return false;
      const wasOpen = reason === null;
      close("outage");
      return wasOpen;
    },
    /** Account-level refusal (here or seen by another instance): returns true when this closed the gate. */
    halt(): boolean {
      const wasOpen = reason === null;
      close("halted");
      return wasOpen;
    },
  };
}

export type ChannelGate = ReturnType<typeof createChannelGate>;
