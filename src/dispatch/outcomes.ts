import type { FastifyBaseLogger } from "fastify";
import type { Db } from "../db/db.js";
import { classifyCarrierError } from "./carrier-errors.js";
import type { ChannelGate } from "./channel-gate.js";
import { haltChannel, resumeChannel } from "./halt.js";
import { sendTransitions as q, type TakenDelivery } from "../deliveries/send.js";

export interface OutcomeDeps {
  db: Db;
  log: FastifyBaseLogger;
  gate: ChannelGate;
  /** The channel closed here: hand back what this instance holds of it. */
  releaseHeld: () => Promise<void>;
  /** Called before a local halt is written, so a stale read of the shared halt cannot undo it. */
  onLocalHalt: () => void;
}

/** What a failed request does to its delivery (by the error's class) and to its channel. */
export async function carrierFailed(deps: OutcomeDeps, d: TakenDelivery, err: unknown): Promise<void> {
  const { db, log, gate } = deps;
  const e = classifyCarrierError(err);
  const dlog = log.child({ alertId: d.alert_id, deliveryId: d.id, channel: d.channel });
  const fields = { status: e.status, code: e.code, kind: e.kind };
  switch (e.kind) {
    case "number":
    case "rejected":
      dlog.info(fields, "carrier refused this number");
      await q.refused(db, d.id, e.code, e.message);
      if (gate.answered() === "halted") await resumeChannel(db, log, d.channel);
      return;
    case "account":
      deps.onLocalHalt();
      if (gate.halt()) await deps.releaseHeld();
      await q.backToPending(db, d.id, 0, e.code, e.message);
      await haltChannel(db, log, d.channel, e);
      return;
    case "outage":
      dlog.warn(fields, "carrier unavailable; backing off");
      if (gate.outage()) await deps.releaseHeld();
      await q.backToPending(db, d.id, Math.max(gate.waitMs(), 1_000), e.code, e.message);
      return;
    case "lost":
      dlog.warn(fields, "no answer from the carrier; reconciling");
      if (gate.outage()) await deps.releaseHeld();
      await q.unknown(db, d.id, e.message);
      return;
  }
}

// A DB failure right after the carrier accepted must not make the request look failed: the SID write is retried,
// and if the database stays away the reconciler finds the call at the carrier (it is never sent again).
const SID_WRITE_RETRIES_MS = [50, 250, 1_000];

export async function recordSid(
  db: Db,
  log: FastifyBaseLogger,
  d: TakenDelivery,
  sid: string,
  batched?: (id: number, sid: string) => Promise<void>,
): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      // First with the others answered at the same moment; retried on its own.
      await (i === 0 && batched ? batched(d.id, sid) : q.submitted(db, d.id, sid));
      return;
    } catch (err) {
      if (i >= SID_WRITE_RETRIES_MS.length) {
        log.error({ err, deliveryId: d.id, callSid: sid }, "carrier accepted, SID not stored: left to reconcile");
        return;
      }
      await new Promise((r) => setTimeout(r, SID_WRITE_RETRIES_MS[i]));
    }
  }
}
