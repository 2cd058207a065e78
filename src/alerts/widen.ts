import type { Principal } from "../access/keys.js";
import { audit } from "../audit/audit.js";
import type { Queryable } from "../db/db.js";
import { Errors } from "../errors.js";
import { publishEvent } from "../events/publish.js";
import { inQuietHours } from "../rules/quiet-hours.js";
import { answeredCount } from "./answered.js";
import { refuseOutside, resolveArea, scopeToUnit, type AreaInput, type ResolvedArea } from "./area.js";
import { alertQueries as q, type AlertRow } from "./queries.js";
import { refuseOverCap } from "./reach.js";
import type { AlertDeps } from "./service.js";
import { isLiveAlert } from "./states.js";
import { insertDeliveries } from "./targeting.js";
import { reachMeters, refuseNotLarger } from "./widen-area.js";
import { widenQueries as wq } from "./widen-queries.js";

interface WidenDeps extends AlertDeps {
  load(id: string, principal: Principal, lock: boolean, tx: Queryable): Promise<AlertRow>;
}

/**
 * Widening a live alert's area, by hand (POST /v1/alerts/{id}/extend) or once by its escalation: only participants
 * not yet targeted by the alert are added, nearest to the first area's centre first, inside the alert's unit.
 */
export function createWidening({ db, config, log, clock, wake, load }: WidenDeps) {
  /** Targets the new area for the alert in `tx` (its row locked), writes the area, the audit entry and the event. */
  async function widen(
    tx: Queryable,
    a: AlertRow,
    next: ResolvedArea,
    actor: { keyId: string | null; principal?: Principal; automatic: boolean },
    now: Date,
  ) {
    // Clipped to the unit as the alert was when it was created (an admin's alert for any unit stays so).
    const checked = ((a.targeting?.unit ?? {}) as { fit?: string }).fit !== "any_unit";
    const scope = checked ? scopeToUnit(next, a.region_code) : undefined;
    if (scope) refuseOutside(scope);
    const quiet = a.priority === "normal" && inQuietHours(now, config.quietHours, config.timeZone);
    const counts = await insertDeliveries(tx, a.id, a.priority === "urgent", {
      area: next,
      channels: a.channels,
      quiet,
      at: now,
      clip: scope?.clip,
      drill: a.mode === "drill",
      origin: { lat: a.center_lat, lon: a.center_lon },
      widening: a.id,
    });
    const before = Number((a.targeting as { participants?: number }).participants ?? 0);
    if (actor.principal)
      refuseOverCap({ ...counts, participants: before + counts.participants }, actor.principal, config.maxAlertReach);
    const widening = {
      added: counts.participants,
      voice: counts.voice,
      sms: counts.sms,
      skipped: counts.skipped,
      automatic: actor.automatic,
      at: now.toISOString(),
    };
    await wq.setArea(tx, a.id, next.stored, next.polygons ?? null, widening);
    await audit(tx, {
      actor: actor.keyId ?? "system:escalation",
      action: "alert.extended",
      subjectType: "alert",
      subjectId: a.id,
      details: widening,
      at: now,
    });
    await publishEvent(tx, {
      type: "alert.extended",
      region: a.region_code,
      alertId: a.id,
      data: {
        alertId: a.id,
        added: counts.participants,
        voice: counts.voice,
        sms: counts.sms,
        automatic: actor.automatic,
        area: next.stored,
      },
    });
    return { alertId: a.id, added: counts.participants, voice: counts.voice, sms: counts.sms, skipped: counts.skipped };
  }

  return {
    async extend(id: string, principal: Principal, body: { area: AreaInput }) {
      const next = resolveArea(body.area);
      const now = clock();
      const result = await db.withTransaction(async (tx) => {
        const a = await load(id, principal, true, tx);
        if (!isLiveAlert(a, now))
          throw new Errors.Conflict(`Only a dispatching or active alert can be widened; this one is ${a.status}`);
        refuseNotLarger(resolveArea(a.area as unknown as AreaInput), next);
        return widen(tx, a, next, { keyId: principal.keyId, principal, automatic: false }, now);
      });
      log.info({ alertId: id, added: result.added }, "alert area widened");
      if (result.added > 0) wake?.();
      return { ...result, area: next.stored };
    },

    /**
     * Every live alert whose escalation is due on the clock: fewer than minAnswered answered, the area grows once
     * to the circle of radiusMeters around its centre; otherwise nothing. Either way it is decided for good.
     */
    async escalateDue() {
      const now = clock();
      let widened = 0;
      for (const { id } of (await wq.escalationsDue(db, now)).rows) {
        const added = await db.withTransaction(async (tx) => {
          const a = (await q.get(tx, id, true)).rows[0];
          if (!a?.escalation || a.escalation_checked_at || !isLiveAlert(a, now)) return 0;
          const answered = await answeredCount(tx, id);
          const next = resolveArea({
            type: "circle",
            center: { lat: a.center_lat, lon: a.center_lon },
            radiusMeters: a.escalation.radiusMeters,
          } as AreaInput);
          // Widened by hand beyond the escalation's circle already: it would add nobody.
          const larger = reachMeters(next) > reachMeters(resolveArea(a.area as unknown as AreaInput), next.center);
          const grow = answered < a.escalation.minAnswered && larger;
          await wq.escalationChecked(tx, id, now, { answered, widened: grow, at: now.toISOString() });
          if (!grow) return 0;
          return (await widen(tx, a, next, { keyId: null, automatic: true }, now)).added;
        });
        if (added > 0) widened++;
        log.info({ alertId: id, added }, "alert escalation decided");
      }
      if (widened > 0) wake?.();
      return widened;
    },
  };
}
