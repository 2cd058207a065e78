import type { Principal } from "../access/keys.js";
import { audit } from "../audit/audit.js";
import { closingMessages } from "../deliveries/closing.js";
import { photoQueries } from "../photos/queries.js";
import { endingTransitions } from "../deliveries/ending.js";
import { cancelAtCarrier, waitForInFlight } from "./carrier-cancel.js";
import { Errors } from "../errors.js";
import { publishEvent } from "../events/publish.js";
import { closingSmsInfo } from "./input.js";
import { alertQueries as q, type AlertRow } from "./queries.js";
import { nextAlertStatus } from "./states.js";
import type { AlertDeps } from "./service.js";
import type { Queryable } from "../db/db.js";

interface EndingDeps<Presented> extends AlertDeps {
  load(id: string, principal: Principal, lock: boolean, tx: Queryable): Promise<AlertRow>;
  present(a: AlertRow): Promise<Presented>;
}

/** How an alert ends: cancelled (nothing more is sent) or closed (the closing message to those reached). */
export function createAlertEnding<Presented>(deps: EndingDeps<Presented>) {
  const { db, carrier, log, clock, wake, stopAlert, inFlightWaitMs = 20_000, load, present } = deps;
  return {
    /**
     * Nothing more is sent once this returns: unsent work is cancelled, requests in flight are awaited, queued calls
     * cancelled.
     */
    async cancel(id: string, principal: Principal) {
      const now = clock();
      const a = await db.withTransaction(async (tx) => {
        const a = await load(id, principal, true, tx);
        if (!nextAlertStatus(a.status, "cancel")) throw new Errors.Conflict(`The alert is already ${a.status}`);
        await q.cancel(tx, id, now);
        await endingTransitions.cancelUnsent(tx, id, "alert_cancelled", now);
        await photoQueries.deleteFor(tx, id); // its page answers 410 from now on
        await audit(tx, {
          actor: principal.keyId,
          action: "alert.cancelled",
          subjectType: "alert",
          subjectId: id,
          at: now,
        });
        await publishEvent(tx, {
          type: "alert.cancelled",
          region: a.region_code,
          alertId: id,
          data: { alertId: id, cancelledAt: now.toISOString() },
        });
        return { ...a, status: "cancelled" as const, cancelled_at: now };
      });
      stopAlert?.(id);
      await waitForInFlight(db, id, inFlightWaitMs);
      const cancelledAtCarrier = await cancelAtCarrier(db, carrier, id, log);
      log.info({ alertId: id, cancelledAtCarrier }, "alert cancelled");
      return present(a);
    },

    /** Records the outcome and sends the closing message to everyone reached, and nobody else. */
    async close(id: string, principal: Principal, body: { outcome: string; message: string }) {
      closingSmsInfo(body.message);
      const now = clock();
      const a = await db.withTransaction(async (tx) => {
        const a = await load(id, principal, true, tx);
        if (!nextAlertStatus(a.status, "close"))
          throw new Errors.Conflict(`Only a dispatching or active alert can be closed; this one is ${a.status}`);
        await q.close(tx, id, { outcome: body.outcome, message: body.message, now });
        await endingTransitions.cancelUnsent(tx, id, "alert_closed", now);
        await photoQueries.deleteFor(tx, id);
        const closing = await closingMessages.forAlert(tx, id, a.priority === "urgent");
        await audit(tx, {
          actor: principal.keyId,
          action: "alert.closed",
          subjectType: "alert",
          subjectId: id,
          details: { outcome: body.outcome, closingMessages: closing.rowCount },
          at: now,
        });
        await publishEvent(tx, {
          type: "alert.closed",
          region: a.region_code,
          alertId: id,
          data: { alertId: id, outcome: body.outcome, closingMessages: closing.rowCount, closedAt: now.toISOString() },
        });
        return {
          ...a,
          status: "closed" as const,
          outcome: body.outcome,
          closing_message: body.message,
          closed_at: now,
        };
      });
      stopAlert?.(id);
      await waitForInFlight(db, id, inFlightWaitMs);
      await cancelAtCarrier(db, carrier, id, log);
      wake?.();
      return present(a);
    },
  };
}
