import type { FastifyBaseLogger } from "fastify";
import type { Db } from "../db/db.js";
import { publishEvent } from "../events/publish.js";
import type { CarrierError } from "./carrier-errors.js";
import { haltQueries as q } from "./halt-queries.js";

/**
 * Records an account-level halt of a channel for every instance; the first instance to halt it tells operators
 * of every police unit (nobody can be reached on that channel, whatever the region).
 */
export async function haltChannel(db: Db, log: FastifyBaseLogger, channel: "voice" | "sms", e: CarrierError) {
  // The carrier's text may name our caller ID; the operators get the code and what it means to them.
  const message = `carrier refused the account (HTTP ${e.status ?? "-"}, code ${e.code ?? "-"})`;
  await db.withTransaction(async (tx) => {
    const { started, halted_at } = (await q.halt(tx, channel, e.code, message)).rows[0];
    if (!started) return;
    log.error({ channel, status: e.status, code: e.code }, "carrier refused the account: channel halted");
    for (const { code } of (await q.regions(tx)).rows) {
      await publishEvent(tx, {
        type: "dispatch.halted",
        region: code,
        data: { channel, carrierStatus: e.status, carrierCode: e.code, reason: message, haltedAt: halted_at },
      });
    }
  });
}

/** A probe got through: the channel runs again, and operators hear so. */
export async function resumeChannel(db: Db, log: FastifyBaseLogger, channel: "voice" | "sms") {
  await db.withTransaction(async (tx) => {
    const row = (await q.resume(tx, channel)).rows[0];
    if (!row) return;
    log.warn({ channel, haltedAt: row.halted_at }, "carrier accepts the account again: channel resumed");
    for (const { code } of (await q.regions(tx)).rows) {
      await publishEvent(tx, {
        type: "dispatch.resumed",
        region: code,
        data: { channel, haltedAt: row.halted_at, resumedAt: new Date() },
      });
    }
  });
}
