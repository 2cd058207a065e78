import type { Principal } from "../access/keys.js";
import { audit } from "../audit/audit.js";
import type { Db, Row } from "../db/db.js";
import { Errors, withDetails } from "../errors.js";
import { webhookId } from "./payload.js";
import { webhookQueries as q } from "./queries.js";
import { generateSecret } from "./signing.js";
import { checkWebhookUrl, resolvePublic, SsrfError, systemResolver, type Resolver } from "./ssrf.js";

export const ROTATION_GRACE_MS = 24 * 3_600_000;
export const DEFAULT_MAX_PER_UNIT = 20;
/** Set when the key that answered for a subscription is revoked; only an admin re-enables it then. */
export const KEY_REVOKED_REASON = "the API key that answered for it was revoked";

export interface SubscriptionInput {
  url: string;
  eventTypes: string[];
  description?: string;
  region?: string;
}

function toOutput(r: Row, secret?: string) {
  return {
    id: r.id as string,
    region: r.region_code as string,
    url: r.url as string,
    eventTypes: r.event_types as string[],
    description: (r.description as string | null) ?? null,
    status: r.status as string,
    disabledReason: (r.disabled_reason as string | null) ?? null,
    keyId: (r.key_id as string | null) ?? null,
    createdAt: (r.created_at as Date).toISOString(),
    previousSecretExpiresAt: r.previous_secret_expires_at ? (r.previous_secret_expires_at as Date).toISOString() : null,
    ...(secret ? { secret } : {}),
  };
}

export function createWebhooks(deps: { db: Db; allowPrivate: boolean; resolver?: Resolver; maxPerUnit?: number }) {
  const { db, allowPrivate } = deps;
  const maxPerUnit = deps.maxPerUnit ?? DEFAULT_MAX_PER_UNIT;

  /**
   * Refused before anything is stored, as strictly as at send time: the same names and the same resolver (the
   * system's unless a test passes its own). A name that does not resolve yet is accepted and checked again at send
   * time.
   */
  async function assertUrl(raw: string) {
    const checked = checkWebhookUrl(raw, allowPrivate);
    if (!(checked instanceof URL))
      throw withDetails(new Errors.Validation(`The webhook URL ${checked.reason}`), [
        { path: "body/url", message: checked.reason },
      ]);
    if (allowPrivate) return;
    try {
      const resolver = deps.resolver ?? systemResolver;
      await Promise.race([
        resolvePublic(checked.hostname, resolver),
        new Promise((resolve) => setTimeout(resolve, 2_000).unref()),
      ]);
    } catch (err) {
      if (err instanceof SsrfError && !/does not resolve/.test(err.message)) {
        throw withDetails(new Errors.Validation(`The webhook URL ${err.message.replace(/^\S+ /, "")}`), [
          { path: "body/url", message: err.message },
        ]);
      }
    }
  }

  async function load(id: string, principal: Principal) {
    const row = (await q.getSubscription(db, id)).rows[0];
    if (!row || (principal.role !== "admin" && row.region_code !== principal.region))
      throw new Errors.NotFound("Webhook subscription");
    return row;
  }

  return {
    async create(input: SubscriptionInput, principal: Principal) {
      const region = principal.role === "admin" ? input.region : principal.region;
      if (!region)
        throw withDetails(new Errors.Validation("region is required for an admin key"), [
          { path: "body/region", message: "required" },
        ]);
      if (principal.role !== "admin" && input.region && input.region !== principal.region) {
        throw new Errors.Forbidden(`This API key is for region ${principal.region}`);
      }
      await assertUrl(input.url);
      const secret = generateSecret();
      return db.withTransaction(async (tx) => {
        const row = (
          await q.insertSubscription(
            tx,
            {
              region,
              url: input.url,
              eventTypes: input.eventTypes,
              description: input.description ?? null,
              secret,
              by: principal.keyId,
            },
            maxPerUnit,
          )
        ).rows[0];
        if (!row)
          throw new Errors.Conflict(
            `Unit ${region} already has ${maxPerUnit} webhook subscriptions, the most allowed; delete one first`,
          );
        await audit(tx, {
          actor: principal.keyId,
          action: "webhook.create",
          subjectType: "webhook_subscription",
          subjectId: row.id,
          details: { region, eventTypes: input.eventTypes },
        });
        return toOutput(row, secret);
      });
    },

    async list(principal: Principal) {
      const rows = (await q.listSubscriptions(db, principal.role === "admin" ? null : principal.region)).rows;
      return rows.map((r) => toOutput(r));
    },

    async get(id: string, principal: Principal) {
      return toOutput(await load(id, principal));
    },

    /** A new URL or a re-enable makes the caller's key the one that answers for the subscription. */
    async update(id: string, patch: Partial<SubscriptionInput> & { status?: "active" }, principal: Principal) {
      const current = await load(id, principal);
      if (patch.status === "active" && current.disabled_reason === KEY_REVOKED_REASON && principal.role !== "admin")
        throw new Errors.Forbidden(
          "This subscription was disabled because the API key that answered for it was revoked; " +
            "only an admin can re-enable it",
        );
      if (patch.url !== undefined) await assertUrl(patch.url);
      const row = (
        await q.updateSubscription(
          db,
          id,
          {
            url: patch.url ?? null,
            eventTypes: patch.eventTypes ?? null,
            description: patch.description ?? null,
            status: patch.status ?? null,
          },
          principal.keyId,
        )
      ).rows[0];
      await audit(db, {
        actor: principal.keyId,
        action: "webhook.update",
        subjectType: "webhook_subscription",
        subjectId: id,
        details: { fields: Object.keys(patch) },
      });
      return toOutput(row);
    },

    async remove(id: string, principal: Principal) {
      await load(id, principal);
      await db.withTransaction(async (tx) => {
        await q.deleteSubscription(tx, id);
        await q.failOpenDeliveries(tx, id, "subscription deleted");
        await audit(tx, {
          actor: principal.keyId,
          action: "webhook.delete",
          subjectType: "webhook_subscription",
          subjectId: id,
        });
      });
    },

    /** A new secret, shown once; the old one keeps signing alongside it for 24 h so receivers can switch over. */
    async rotate(id: string, principal: Principal) {
      await load(id, principal);
      const secret = generateSecret();
      const row = (await q.rotateSecret(db, id, secret, ROTATION_GRACE_MS)).rows[0];
      await audit(db, {
        actor: principal.keyId,
        action: "webhook.rotate_secret",
        subjectType: "webhook_subscription",
        subjectId: id,
      });
      return toOutput(row, secret);
    },

    async deliveries(id: string, principal: Principal, opts: { status?: string; before?: number; limit: number }) {
      await load(id, principal);
      const rows = (await q.listDeliveries(db, id, opts.status ?? null, opts.before ?? null, opts.limit)).rows;
      return {
        deliveries: rows.map((r) => ({
          id: r.id as number,
          webhookId: webhookId(r.event_id),
          eventType: r.event_type as string,
          status: r.status as string,
          attempts: r.attempts as number,
          nextAttemptAt: r.status === "pending" ? (r.next_attempt_at as Date).toISOString() : null,
          lastStatusCode: r.last_status_code as number | null,
          lastError: r.last_error as string | null,
          succeededAt: r.succeeded_at ? (r.succeeded_at as Date).toISOString() : null,
          createdAt: (r.created_at as Date).toISOString(),
          attemptLog: r.attempt_log as unknown[],
        })),
        nextBefore: rows.length === opts.limit ? (rows[rows.length - 1].id as number) : null,
      };
    },

    async replay(
      id: string,
      principal: Principal,
      body: { since: string; until?: string; eventIds?: string[]; includeSucceeded?: boolean },
    ) {
      await load(id, principal);
      const res = await q.replayDeliveries(db, id, {
        since: body.since,
        until: body.until ?? null,
        eventIds: body.eventIds ?? null,
        includeSucceeded: body.includeSucceeded ?? false,
      });
      await audit(db, {
        actor: principal.keyId,
        action: "webhook.replay",
        subjectType: "webhook_subscription",
        subjectId: id,
        details: { since: body.since, until: body.until, queued: res.rowCount },
      });
      await q.notifySenders(db, { replay: id });
      return { queued: res.rowCount ?? 0 };
    },
  };
}

export type Webhooks = ReturnType<typeof createWebhooks>;
