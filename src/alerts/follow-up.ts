import { createHash } from "node:crypto";
import type { Principal } from "../access/keys.js";
import { audit } from "../audit/audit.js";
import { UNIQUE_VIOLATION, type Queryable } from "../db/db.js";
import { updateMessages } from "../deliveries/updates.js";
import { Errors } from "../errors.js";
import { publishEvent } from "../events/publish.js";
import { smsInfo, type AlertInput } from "./input.js";
import { followUpQueries as fq, type AlertUpdateRow } from "./follow-up-queries.js";
import { alertQueries as q, type AlertRow } from "./queries.js";
import { isLiveStatus } from "./states.js";
import type { AlertDeps } from "./service.js";

export interface FollowUpInput {
  texts: AlertInput["texts"];
  notify: "reached" | "none";
}

interface FollowUpDeps<Presented> extends AlertDeps {
  load(id: string, principal: Principal, lock: boolean, tx: Queryable): Promise<AlertRow>;
  present(a: AlertRow): Promise<Presented>;
}

const presentUpdate = (u: AlertUpdateRow) => ({
  alertId: u.alert_id,
  seq: u.seq,
  notify: u.notify,
  notified: u.notified,
  texts: u.texts,
  createdAt: u.created_at.toISOString(),
});

/**
 * A follow-up (POST /v1/alerts/{id}/updates): new texts for everyone not yet reached and, with notify "reached",
 * one update message to each participant already reached, on the channel a closing message would take.
 */
export function createFollowUps<Presented>(deps: FollowUpDeps<Presented>) {
  const { db, log, clock, wake, load } = deps;

  async function replay(existing: AlertUpdateRow, alertId: string, requestHash: string) {
    if (existing.request_hash !== requestHash || existing.alert_id !== alertId)
      throw new Errors.Conflict("This Idempotency-Key was used for a different request");
    return { update: presentUpdate(existing), created: false };
  }

  return {
    async postUpdate(id: string, principal: Principal, body: FollowUpInput, idempotencyKey?: string) {
      const a0 = await load(id, principal, false, db);
      smsInfo({ texts: body.texts, channels: ["sms"], mode: a0.mode } as AlertInput);
      const requestHash = createHash("sha256")
        .update(JSON.stringify({ id, ...body }))
        .digest("hex");
      if (idempotencyKey) {
        const existing = (await fq.byIdempotencyKey(db, principal.keyId, idempotencyKey)).rows[0];
        if (existing) return replay(existing, id, requestHash);
      }
      const now = clock();
      try {
        const result = await db.withTransaction(async (tx) => {
          const a = await load(id, principal, true, tx);
          if (!isLiveStatus(a.status) || a.expires_at <= now)
            throw new Errors.Conflict(`Only a dispatching or active alert can be followed up; this one is ${a.status}`);
          await q.updateTexts(tx, id, body.texts, a.expires_at);
          const u = (
            await fq.insert(tx, {
              alertId: id,
              texts: body.texts,
              notify: body.notify,
              createdBy: principal.keyId,
              idempotencyKey: idempotencyKey ?? null,
              requestHash,
              now,
            })
          ).rows[0];
          const notified =
            body.notify === "reached" ? await updateMessages.forAlert(tx, id, u.seq, a.priority === "urgent") : 0;
          await fq.setNotified(tx, id, u.seq, notified);
          if (body.notify === "reached") await fq.markNotified(tx, id, u.seq);
          await audit(tx, {
            actor: principal.keyId,
            action: "alert.followed_up",
            subjectType: "alert",
            subjectId: id,
            details: { seq: u.seq, notify: body.notify, notified },
            at: now,
          });
          await publishEvent(tx, {
            type: "alert.updated",
            region: a.region_code,
            alertId: id,
            data: {
              alertId: id,
              seq: u.seq,
              notify: body.notify,
              notified,
            },
          });
          return { ...u, notified };
        });
        log.info({ alertId: id, seq: result.seq, notified: result.notified }, "alert followed up");
        if (result.notified > 0) wake?.();
        return { update: presentUpdate(result), created: true };
      } catch (err) {
        if ((err as { code?: string }).code === UNIQUE_VIOLATION && idempotencyKey) {
          const existing = (await fq.byIdempotencyKey(db, principal.keyId, idempotencyKey)).rows[0];
          if (existing) return replay(existing, id, requestHash);
        }
        throw err;
      }
    },
  };
}
