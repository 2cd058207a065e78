import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import type { FastifyBaseLogger } from "fastify";
import type { Principal } from "../access/keys.js";
import { resolveArea } from "../alerts/area.js";
import { alertInput } from "../alerts/schemas.js";
import { addAreaKeyword, forValidation } from "../alerts/area-schema.js";
import type { AlertInput, Alerts } from "../alerts/service.js";
import { UNIQUE_VIOLATION, type Db } from "../db/db.js";
import { Errors, withDetails } from "../errors.js";
import { regionAt } from "../geo/boundaries.js";
import { CapErrors } from "./errors.js";
import { CapMappingError, readCap, toAlertInput, type CapMessage } from "./map.js";
import { capQueries as q } from "./queries.js";
import { capSchema } from "./xsd.js";
import { parseXml, XmlError } from "./xml.js";

export interface TextsPatch {
  texts?: AlertInput["texts"];
  expiresInMinutes?: number;
}

/** What the intake needs from the alerts service; `update` and `postUpdate` are optional for intakes without them. */
export interface CapAlerts {
  create: Alerts["create"];
  cancel: Alerts["cancel"];
  update?: (id: string, principal: Principal, patch: TextsPatch) => Promise<unknown>;
  postUpdate?: Alerts["postUpdate"];
}

export interface CapResult {
  msgType: string;
  action: "created" | "drafted" | "updated" | "cancelled";
  alertIds: string[];
  duplicate: boolean;
}

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
const validAlertInput = addAreaKeyword(ajv).compile(forValidation(alertInput));

function parse(xml: string) {
  try {
    return parseXml(xml);
  } catch (err) {
    if (err instanceof XmlError)
      throw err.unsafe ? new CapErrors.Unsafe(err.message) : new CapErrors.Malformed(err.message);
    throw err;
  }
}

function mapped(cap: CapMessage, principal: Principal, now: Date): AlertInput {
  let input: AlertInput;
  try {
    input = toAlertInput(cap, now).input;
  } catch (err) {
    if (err instanceof CapMappingError)
      throw withDetails(new CapErrors.Unsupported(err.message), [{ path: err.path, message: err.message }]);
    throw err;
  }
  if (!validAlertInput(input)) {
    const details = (validAlertInput.errors ?? []).map((e) => ({ path: `alert${e.instancePath}`, message: e.message }));
    throw withDetails(new CapErrors.Unsupported("The CAP message does not map onto a valid alert"), details);
  }
  // Throws OutsideNetherlands / InvalidArea (422) before anything is stored; gives admins the region.
  const area = resolveArea(input.area);
  if (principal.role === "admin") input.region = regionAt(area.center.lat, area.center.lon) ?? undefined;
  if (principal.role === "admin" && !input.region) throw new Errors.OutsideNetherlands("The area");
  return input;
}

/** CAP idempotency is per police unit: two units may send the same sender + identifier. */
const scopeOf = (principal: Principal) => principal.region ?? "admin";
const refOf = (cap: CapMessage, principal: Principal) => ({
  sender: cap.sender,
  identifier: cap.identifier,
  scope: scopeOf(principal),
});

export function createCapIntake(deps: { db: Db; alerts: CapAlerts; clock: () => Date; log: FastifyBaseLogger }) {
  const { db, alerts, clock, log } = deps;
  const schema = capSchema();

  async function referenced(cap: CapMessage, principal: Principal): Promise<string[]> {
    if (cap.references.length === 0)
      throw new CapErrors.UnknownReference(`A ${cap.msgType} must reference the earlier message in <references>`);
    const ids = new Set<string>();
    for (const ref of cap.references) {
      const scope = scopeOf(principal);
      for (const r of (await q.referencedAlerts(db, { ...ref, scope })).rows) ids.add(r.id);
    }
    if (ids.size === 0) throw new CapErrors.UnknownReference("<references> names no alert received here");
    return [...ids];
  }

  async function record(cap: CapMessage, principal: Principal, result: CapResult) {
    await q.recordMessage(db, {
      ...refOf(cap, principal),
      msgType: cap.msgType,
      alertIds: result.alertIds,
      result,
      receivedBy: principal.keyId,
    });
    log.info({ capMsgType: cap.msgType, action: result.action, alertIds: result.alertIds }, "CAP message accepted");
    return result;
  }

  async function create(cap: CapMessage, principal: Principal): Promise<CapResult> {
    const input = mapped(cap, principal, clock());
    const action = input.dispatch === false ? "drafted" : "created";
    try {
      const { alert } = await alerts.create(input, principal, {
        source: "cap",
        capSender: cap.sender,
        capIdentifier: cap.identifier,
      });
      return record(cap, principal, {
        msgType: cap.msgType,
        action,
        alertIds: [(alert as { id: string }).id],
        duplicate: false,
      });
    } catch (err) {
      // The same message arriving twice at once: the other request created it.
      if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
      const existing = (await q.alertByCapId(db, refOf(cap, principal))).rows[0];
      if (!existing) throw err;
      return { msgType: cap.msgType, action, alertIds: [existing.id], duplicate: true };
    }
  }

  async function cancel(cap: CapMessage, principal: Principal): Promise<CapResult> {
    const ids = await referenced(cap, principal);
    for (const id of ids) {
      try {
        await alerts.cancel(id, principal);
      } catch (err) {
        // Already cancelled or closed: the Cancel's purpose is met.
        if ((err as { code?: string }).code !== "BN_CONFLICT") throw err;
      }
    }
    return record(cap, principal, { msgType: cap.msgType, action: "cancelled", alertIds: ids, duplicate: false });
  }

  async function update(cap: CapMessage, principal: Principal): Promise<CapResult> {
    const ids = await referenced(cap, principal);
    if (!alerts.update) throw new CapErrors.Unsupported("CAP Update is not supported yet: cancel and send a new Alert");
    const input = mapped(cap, principal, clock());
    for (const id of ids) {
      // A running alert is followed up (new texts, and the update to everyone reached, once per message); a draft
      // only has its texts changed. The expiry follows the message either way.
      const ref = refOf(cap, principal);
      let followedUp = false;
      if (alerts.postUpdate) {
        try {
          const key = `cap:${ref.scope}:${ref.sender}:${ref.identifier}:${id}`;
          await alerts.postUpdate(id, principal, { texts: input.texts, notify: "reached" }, key);
          followedUp = true;
        } catch (err) {
          if ((err as { code?: string }).code !== "BN_CONFLICT") throw err;
        }
      }
      await alerts.update(id, principal, {
        ...(followedUp ? {} : { texts: input.texts }),
        expiresInMinutes: input.expiresInMinutes,
      });
    }
    return record(cap, principal, { msgType: cap.msgType, action: "updated", alertIds: ids, duplicate: false });
  }

  return {
    /** Validates against the OASIS schema, then creates, updates or cancels; the same message twice acts once. */
    async intake(xml: string, principal: Principal): Promise<CapResult> {
      const doc = parse(xml);
      const errors = schema.validate(doc);
      if (errors.length) throw withDetails(new CapErrors.Invalid(), errors.slice(0, 20));
      const cap = readCap(doc);
      const seen = (await q.findMessage(db, refOf(cap, principal))).rows[0];
      if (seen) return { ...(seen.result as CapResult), duplicate: true };
      if (cap.scope !== "Public")
        throw new CapErrors.Unsupported(`scope ${cap.scope}: only Public messages go to citizens`);
      if (cap.status === "System") throw new CapErrors.Unsupported("status System messages are not alerts");
      if (cap.msgType === "Alert") {
        const existing = (await q.alertByCapId(db, refOf(cap, principal))).rows[0];
        if (existing) return { msgType: "Alert", action: "created", alertIds: [existing.id], duplicate: true };
        return create(cap, principal);
      }
      if (cap.msgType === "Cancel") return cancel(cap, principal);
      if (cap.msgType === "Update") return update(cap, principal);
      throw new CapErrors.Unsupported(`msgType ${cap.msgType} is not handled`);
    },
  };
}

export type CapIntake = ReturnType<typeof createCapIntake>;
