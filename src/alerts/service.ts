import { createHash } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import type { Principal } from "../access/keys.js";
import type { Carrier } from "../twilio/carrier.js";
import { assertOwnUnit } from "../access/auth.js";
import { audit } from "../audit/audit.js";
import type { Config } from "../config.js";
import { UNIQUE_VIOLATION, type Db } from "../db/db.js";
import { Errors } from "../errors.js";
import { publishEvent } from "../events/publish.js";
import { refuseOutside, resolveArea, scopeToUnit, type AreaInput, type UnitScope } from "./area.js";
import { presentAlert } from "./present.js";
import { reach, refuseOverCap, unitFigures } from "./reach.js";
import { alertQueries as q, type AlertRow } from "./queries.js";
import { inQuietHours } from "../rules/quiet-hours.js";
import { createdStatus, nextAlertStatus } from "./states.js";
import { countTargets, insertDeliveries, type TargetingInput } from "./targeting.js";
import { countByStatus } from "../deliveries/counts.js";
import { createAlertEnding } from "./ending.js";
import { presenceCheckFor, regionFor, smsInfo, type AlertInput } from "./input.js";
import { checkTexts, resolveRequest, textsPreview, type AlertRequest } from "./template-input.js";
import type { Templates } from "../templates/types.js";
import { fallbackFigures, refuseLongFallbacks } from "./fallback.js";
import { createAlertUpdate } from "./update.js";
import { actualCost, type Costs } from "../cost/service.js";
import { createFollowUps } from "./follow-up.js";
import { deliveryReads } from "./deliveries-read.js";
import { createWidening } from "./widen.js";
import { refuseEscalationBelow } from "./widen-area.js";

export type { AlertInput } from "./input.js";

export interface CreateOptions {
  idempotencyKey?: string;
  source?: "api" | "cap";
  capSender?: string;
  capIdentifier?: string;
}

export interface AlertDeps {
  db: Db;
  carrier: Carrier;
  config: Config;
  log: FastifyBaseLogger;
  clock: () => Date;
  /** Nudges the local dispatcher so an urgent alert does not wait for its next poll. */
  wake?: () => void;
  /** Tells the local dispatcher to drop requests of this alert still waiting for their slot. */
  stopAlert?: (alertId: string) => void;
  /** Seconds to wait for requests in flight when cancelling (≥ the Twilio request timeout). */
  inFlightWaitMs?: number;
  /** Alert templates (templates/): `template: { id, fields }` fills the texts. */
  templates?: Templates;
  /** Expected cost and the units' monthly budgets (src/cost). */
  costs?: Costs;
}

export function createAlerts(deps: AlertDeps) {
  const { db, carrier, config, log, clock, wake, stopAlert, inFlightWaitMs = 20_000, templates, costs } = deps;
  /** Operators reach only their police unit (clipped where the area crosses it); admins any unit. */
  function targetingInput(
    input: AlertInput,
    at: Date,
    unit: { region: string; checked: boolean },
  ): TargetingInput & { scope?: UnitScope } {
    const quiet = (input.priority ?? "normal") === "normal" && inQuietHours(at, config.quietHours, config.timeZone);
    const area = resolveArea(input.area);
    const scope = unit.checked ? scopeToUnit(area, unit.region) : undefined;
    if (scope) refuseOutside(scope);
    return { area, channels: input.channels, quiet, at, clip: scope?.clip, scope, drill: input.mode === "drill" };
  }

  function paceEstimate(voice: number, sms: number) {
    return Math.max(voice / config.dispatchCps, sms / config.smsMps);
  }

  async function load(id: string, principal: Principal, lock = false, tx: { query: Db["query"] } = db) {
    const a = (await q.get(tx, id, lock)).rows[0];
    if (!a) throw new Errors.AlertNotFound();
    assertOwnUnit(principal, a.region_code, () => new Errors.AlertNotFound());
    return a;
  }

  async function present(a: AlertRow) {
    return presentAlert(a, await countByStatus(db, a.id), {
      cps: config.dispatchCps,
      mps: config.smsMps,
      now: clock(),
    });
  }

  const parts = { db, carrier, config, log, clock, wake, stopAlert, inFlightWaitMs, load, present };
  const ending = createAlertEnding(parts);
  const followUps = createFollowUps(parts);
  const widening = createWidening(parts);

  return {
    async preview(request: AlertRequest, principal: Principal) {
      const { input, origin } = resolveRequest(request, templates);
      const region = regionFor(principal, input);
      const sms = checkTexts(input, origin);
      const at = clock();
      const t = targetingInput(input, at, { region, checked: principal.role !== "admin" });
      const counts = await countTargets(db, t);
      const fallback = fallbackFigures(
        input.texts,
        counts.byLanguage,
        input.channels,
        presenceCheckFor(input.kind, input.presenceCheck),
      );
      await audit(db, {
        actor: principal.keyId,
        action: "alert.previewed",
        subjectType: "region",
        subjectId: region,
        details: { counts },
      });
      return {
        region,
        ...counts,
        quietHours: t.quiet,
        unit: unitFigures(t, region, counts),
        reach: reach(counts, principal, config.maxAlertReach),
        smsText: Object.fromEntries(
          Object.entries(sms).map(([lang, s]) => [lang, { ...s, totalSegments: s.segments * counts.sms }]),
        ),
        fallback,
        estimatedSeconds: Math.ceil(paceEstimate(counts.voice, counts.sms)),
        kind: input.kind,
        texts: textsPreview(input, sms),
        ...(costs ? await costs.preview(t, sms, region, principal) : {}),
      };
    },

    async create(request: AlertRequest, principal: Principal, opts: CreateOptions = {}) {
      const { input, origin } = resolveRequest(request, templates);
      const region = regionFor(principal, input);
      const sms = checkTexts(input, origin);
      const requestHash = createHash("sha256").update(JSON.stringify(request)).digest("hex");
      if (opts.idempotencyKey) {
        const existing = (await q.byIdempotencyKey(db, principal.keyId, opts.idempotencyKey)).rows[0];
        if (existing) return { alert: await replay(existing, requestHash), created: false };
      }
      const now = clock();
      const t = targetingInput(input, now, { region, checked: principal.role !== "admin" });
      if (input.escalation) refuseEscalationBelow(t.area, input.escalation.radiusMeters);
      const urgent = input.priority === "urgent";
      const dispatch = input.dispatch ?? true;
      if (dispatch) await costs?.refuseOverBudget(db, t, sms, region, principal);
      let row: AlertRow;
      try {
        row = await db.withTransaction(async (tx) => {
          const a = (
            await q.insert(tx, {
              region,
              kind: input.kind,
              priority: input.priority ?? "normal",
              status: createdStatus(dispatch),
              texts: input.texts,
              area: t.area.stored,
              polygons: t.area.polygons ?? null,
              lat: t.area.center.lat,
              lon: t.area.center.lon,
              channels: input.channels,
              expiresAt: new Date(now.getTime() + (input.expiresInMinutes ?? 120) * 60_000),
              createdBy: principal.keyId,
              idempotencyKey: opts.idempotencyKey ?? null,
              requestHash,
              now,
              source: opts.source,
              capSender: opts.capSender,
              capIdentifier: opts.capIdentifier,
              presenceCheck: presenceCheckFor(input.kind, input.presenceCheck),
              mode: input.mode,
              escalation: input.escalation ?? null,
            })
          ).rows[0];
          const counts = dispatch ? await insertDeliveries(tx, a.id, urgent, t) : await countTargets(tx, t);
          refuseOverCap(counts, principal, config.maxAlertReach); // rolls the alert and its deliveries back
          refuseLongFallbacks(
            fallbackFigures(
              input.texts,
              counts.byLanguage,
              input.channels,
              presenceCheckFor(input.kind, input.presenceCheck),
            ),
          ); // the same
          const unit = unitFigures(t, region, counts);
          const targeting = { ...counts, quietHours: t.quiet, at: now.toISOString(), unit };
          await q.setTargeting(tx, a.id, targeting);
          await audit(tx, {
            actor: principal.keyId,
            action: dispatch ? "alert.dispatched" : "alert.drafted",
            subjectType: "alert",
            subjectId: a.id,
            details: targeting,
            at: now,
          });
          await publishEvent(tx, {
            type: "alert.created",
            region,
            alertId: a.id,
            data: { alertId: a.id, kind: a.kind, priority: a.priority, status: a.status, targeting },
          });
          return { ...a, targeting };
        });
      } catch (err) {
        if ((err as { code?: string }).code === UNIQUE_VIOLATION && opts.idempotencyKey) {
          const existing = (await q.byIdempotencyKey(db, principal.keyId, opts.idempotencyKey)).rows[0];
          if (existing) return { alert: await replay(existing, requestHash), created: false };
        }
        throw err;
      }
      log.info({ alertId: row.id, region, targeting: row.targeting }, "alert created");
      if (dispatch) wake?.();
      return { alert: await present(row), created: true };
    },

    /** Starts a draft. */
    async dispatch(id: string, principal: Principal) {
      const now = clock();
      const row = await db.withTransaction(async (tx) => {
        const a = await load(id, principal, true, tx);
        if (!nextAlertStatus(a.status, "dispatch")) throw new Errors.Conflict(`The alert is ${a.status}, not a draft`);
        const input = {
          area: a.area as unknown as AreaInput,
          channels: a.channels,
          priority: a.priority,
          mode: a.mode,
        } as AlertInput;
        // Targeted again as the draft was checked: clipped to its unit when it was then.
        const drafted = (a.targeting?.unit ?? {}) as { fit?: string };
        const t = targetingInput(input, now, { region: a.region_code, checked: drafted.fit !== "any_unit" });
        await costs?.refuseOverBudget(tx, t, smsInfo({ ...input, texts: a.texts }), a.region_code, principal);
        const counts = await insertDeliveries(tx, a.id, a.priority === "urgent", t);
        refuseOverCap(counts, principal, config.maxAlertReach);
        refuseLongFallbacks(fallbackFigures(a.texts, counts.byLanguage, a.channels, a.presence_check));
        const targeting = {
          ...counts,
          quietHours: t.quiet,
          at: now.toISOString(),
          unit: unitFigures(t, a.region_code, counts),
        };
        await q.setTargeting(tx, a.id, targeting);
        await q.dispatch(tx, id, now);
        await audit(tx, {
          actor: principal.keyId,
          action: "alert.dispatched",
          subjectType: "alert",
          subjectId: id,
          details: targeting,
          at: now,
        });
        return { ...a, status: "dispatching" as const, dispatch_started_at: now, targeting };
      });
      wake?.();
      return present(row);
    },

    async get(id: string, principal: Principal) {
      const a = await load(id, principal);
      await audit(db, { actor: principal.keyId, action: "alert.read", subjectType: "alert", subjectId: id });
      return { ...(await present(a)), cost: await actualCost(db, id) };
    },

    async list(principal: Principal, query: { status?: string; limit?: number; before?: string; mode?: string }) {
      const region = principal.role === "admin" ? null : principal.region;
      return Promise.all((await q.list(db, region, query)).rows.map(present));
    },

    ...ending,
    ...createAlertUpdate({ ...deps, load, present }),
    ...deliveryReads(parts),
    ...followUps,
    ...widening,
  };

  async function replay(existing: AlertRow, requestHash: string) {
    if (existing.request_hash !== requestHash) {
      throw new Errors.Conflict("This Idempotency-Key was used for a different request");
    }
    return present(existing);
  }
}

export type Alerts = ReturnType<typeof createAlerts>;
