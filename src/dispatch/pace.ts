import type { Db } from "../db/db.js";
import { createDbClock } from "./db-clock.js";
import { isSendTooLate } from "../twilio/send-by.js";
import { dispatchQueries as q } from "./queries.js";

export type Channel = "voice" | "sms";

// Slots are spaced 2% wider than the rate, and a request leaves at most LATE_TOLERANCE_MS after its slot, checked
// where it is handed an open connection, after the SDK's work (src/twilio/gate-agent.ts): then no window of 1 s holds
// more than the rate ((1 + δ) × 0.98 < 1 for any delay δ below 20 ms), which leaves ~8 ms for the network to the
// carrier and the instances' clocks. That is the invariant "never above the configured CPS in any 1 s window",
// bought with a pace 2% under the configured one.
export const PACE_MARGIN = 0.98;
export const LATE_TOLERANCE_MS = 12;

/**
 * The carrier pace shared by every instance and every kind of request (alert calls, closing messages,
 * registration codes): start slots are reserved on one `pace` row per channel.
 */
export function createPace({ db, cps, mps }: { db: Db; cps: number; mps: number }) {
  const clock = createDbClock();
  const rateOf = (channel: Channel) => (channel === "voice" ? cps : mps) * PACE_MARGIN;
  const intervalOf = (channel: Channel) => 1000 / rateOf(channel);

  /** Reserves `n` slots, the first at least `leadMs` ahead; returns it as performance.now() milliseconds. */
  async function reserve(channel: Channel, n: number, leadMs = clock.leadMs()): Promise<number> {
    const sentAt = performance.now();
    const { slot_ms, db_now_ms } = (await q.reserveSlots(db, channel, n, intervalOf(channel), leadMs)).rows[0];
    clock.sample(sentAt, performance.now(), db_now_ms);
    return clock.toLocal(slot_ms);
  }

  return {
    reserve,
    /**
     * A few quick samples of the database's clock before the first reservation, as NTP does at start: the first
     * slots are then mapped with a good offset rather than the one of a cold connection's first round trip.
     */
    async calibrate(samples = 5) {
      for (let i = 0; i < samples; i++) {
        const sentAt = performance.now();
        const { db_now_ms } = (await q.dbNow(db)).rows[0];
        clock.sample(sentAt, performance.now(), db_now_ms);
      }
    },
    rateOf,
    intervalOf,
    /** How long the database takes to answer lately (the lead new slots start with). */
    leadMs: () => clock.leadMs(),
    /**
     * Runs `request` at a slot of its own, taking a new slot as long as it misses one; `request` passes `sendBy` on
     * to the carrier, which refuses to send once it has passed.
     */
    async paced<T>(channel: Channel, request: (sendBy: number) => Promise<T>): Promise<T> {
      for (;;) {
        const at = await reserve(channel, 1);
        const wait = at - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (performance.now() - at > LATE_TOLERANCE_MS) continue;
        try {
          return await request(at + LATE_TOLERANCE_MS);
        } catch (err) {
          if (!isSendTooLate(err)) throw err;
        }
      }
    },
  };
}

export type Pace = ReturnType<typeof createPace>;
