import type { FastifyBaseLogger } from "fastify";
import type { Db } from "../db/db.js";
import { endingTransitions as q } from "../deliveries/ending.js";
import type { Carrier } from "../twilio/carrier.js";

/**
 * After an alert is cancelled no delivery can be taken any more; this waits until those already in it are
 * resolved (sent, dropped, or reconciled after a crash), so that "cancel returned" means "nothing more goes out".
 */
export async function waitForInFlight(db: Db, alertId: string, timeoutMs: number, purpose = "alert"): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await q.inFlight(db, alertId, purpose);
    if (n === 0 || Date.now() > deadline) return n;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Calls accepted by the carrier but not yet answered are cancelled through the API (Twilio: Status=canceled). */
export async function cancelAtCarrier(
  db: Db,
  carrier: Carrier,
  alertId: string,
  log: FastifyBaseLogger,
): Promise<number> {
  const { rows } = await q.cancellableCalls(db, alertId);
  let cancelled = 0;
  await Promise.all(
    rows.map(async (d) => {
      try {
        if (await carrier.cancelCall(d.provider_sid)) cancelled++;
      } catch (err) {
        // Already answered or finished: its status callback tells the rest.
        log.info(
          { deliveryId: d.id, callSid: d.provider_sid, err: (err as Error).message },
          "call not cancellable at carrier",
        );
      }
    }),
  );
  return cancelled;
}
