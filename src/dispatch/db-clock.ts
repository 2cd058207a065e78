interface Sample {
  at: number;
  rtt: number;
  offset: number;
}

/**
 * Maps the database clock, on which every instance reserves its pace slots, onto this process's monotonic clock.
 *
 * A wait computed by the database and applied when the reply is read would shift the slot by however long
 * the reply took to reach us, event-loop delay included: tens of milliseconds under load, enough to crowd
 * another instance's next slots into the same second. So each reply also carries the database's time, and
 * the offset is taken NTP-style from the recent query with the shortest round trip: its error is at most half
 * of that round trip, whatever happened to the others.
 */
export function createDbClock(windowMs = 30_000, maxSamples = 64) {
  let samples: Sample[] = [];
  let best: Sample | undefined;

  return {
    /** One query sent at `sentAt` and answered at `receivedAt` (performance.now()) saw the database at `dbNowMs` (epoch). */
    sample(sentAt: number, receivedAt: number, dbNowMs: number): void {
      const sample = { at: receivedAt, rtt: receivedAt - sentAt, offset: dbNowMs - (sentAt + receivedAt) / 2 };
      // The last few dozen queries within the window: at uncapped rates that is under a second, and plenty.
      samples = samples.filter((s) => receivedAt - s.at <= windowMs).slice(-(maxSamples - 1));
      samples.push(sample);
      best = samples.reduce((a, b) => (b.rtt < a.rtt ? b : a));
    },
    /**
     * How far ahead of the database's "now" to start new slots, so that they still lie ahead when the reply has
     * reached us: the slowest recent round trip (event-loop delay included) and half again, within 10–250 ms.
     * Without it, on a busy process every slot of a batch would already be late on arrival and be given up.
     */
    leadMs(): number {
      const slowest = samples.reduce((m, s) => Math.max(m, s.rtt), 0);
      return Math.min(250, Math.max(10, slowest * 1.5));
    },
    /** A database time (epoch ms) as performance.now() milliseconds. */
    toLocal(dbMs: number): number {
      if (!best) throw new Error("no database time sampled yet");
      return dbMs - best.offset;
    },
  };
}

export type DbClock = ReturnType<typeof createDbClock>;
