import type { Queryable } from "../db/db.js";

export interface HaltRow {
  channel: "voice" | "sms";
  halted_at: Date | null;
  halt_code: number | null;
  halt_message: string | null;
  probes: number;
}

/** The shared halt of a channel, on its pace row: every instance and /readyz read it. */
export const haltQueries = {
  state: (db: Queryable) =>
    db.query<HaltRow>("SELECT channel, halted_at, halt_code, halt_message, probes FROM pace ORDER BY channel"),

  /** Halts the channel (or counts one more failed probe); `started` is true for the request that halted it. */
  halt: (db: Queryable, channel: string, code: number | null, message: string) =>
    db.query<{ started: boolean; halted_at: Date }>(
      `WITH before AS (SELECT halted_at FROM pace WHERE channel = $1 FOR UPDATE)
       UPDATE pace SET halted_at = coalesce(pace.halted_at, now()), halt_code = $2, halt_message = $3, probes = probes + 1
         FROM before WHERE channel = $1
       RETURNING before.halted_at IS NULL AS started, pace.halted_at`,
      [channel, code, message],
    ),

  /** A probe got through: returns the row when the channel was halted until now. */
  resume: (db: Queryable, channel: string) =>
    db.query<{ halted_at: Date }>(
      `WITH before AS (SELECT halted_at FROM pace WHERE channel = $1 AND halted_at IS NOT NULL FOR UPDATE)
       UPDATE pace SET halted_at = NULL, halt_code = NULL, halt_message = NULL, probes = 0
         FROM before WHERE channel = $1
       RETURNING before.halted_at`,
      [channel],
    ),

  regions: (db: Queryable) => db.query<{ code: string }>("SELECT code FROM regions ORDER BY code"),
};
