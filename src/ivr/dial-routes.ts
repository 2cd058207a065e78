import type { TwilioHandler } from "../twilio/routes.js";
import twilio from "twilio";
import { publishEvent } from "../events/publish.js";
import { contextFromQuery, type CallContext } from "./context.js";
import { renderFailure, renderFor, sendTwiml, type IvrDeps } from "./deps.js";
import { nearestDistance } from "./sightings.js";
import { speakAlertRef, speakDistance } from "./spoken.js";
import { claimStep } from "./steps.js";

const CONNECTED = new Set(["completed", "answered"]);

/**
 * One `call.connected` per citizen call, whichever tells us first: the meldkamer leg's whisper (on answer) or the
 * Dial action (when the conversation is over).
 */
async function publishConnected(
  deps: IvrDeps,
  ctx: CallContext,
  citizenCallSid: string,
  via: "whisper" | "dial-action",
  extra: Record<string, unknown> = {},
) {
  return deps.db.withTransaction(async (tx) => {
    if (!(await claimStep(tx, `${citizenCallSid}:connected`))) return false;
    await publishEvent(tx, {
      type: "call.connected",
      region: ctx.regionCode,
      alertId: ctx.alert?.id ?? null,
      data: {
        alertId: ctx.alert?.id ?? null,
        deliveryId: ctx.deliveryId,
        callSid: citizenCallSid,
        inbound: ctx.inbound,
        via,
        ...extra,
      },
    });
    return true;
  });
}

export function dialHandlers(deps: IvrDeps) {
  /** Played to the meldkamer when it answers, before the citizen is bridged. */
  const whisper: TwilioHandler = async (req, reply) => {
    const ctx = await contextFromQuery(deps, req.query, req.body);
    if (!ctx) return sendTwiml(reply, new twilio.twiml.VoiceResponse().toString());
    const parent = req.query.parent;
    if (parent) await publishConnected(deps, ctx, parent, "whisper");
    // The centralist hears the whisper, not the citizen: in Dutch, unless the citizen's script is English (as before).
    const heard = ctx.language === "en" ? ctx : { ...ctx, script: deps.scripts.nl, language: "nl" as const };
    if (!ctx.alert) return sendTwiml(reply, renderFor(deps, heard, ["whisperGeneral"]));
    // What the centralist needs before the citizen speaks: which alert (kind, short id) and how close they are.
    const meters =
      ctx.distanceM ?? (await nearestDistance(deps.db, ctx.participantId, ctx.alert.centerLat, ctx.alert.centerLon));
    const distance = speakDistance(meters, heard.language === "en" ? "en" : "nl");
    const vars = { alertRef: speakAlertRef(ctx.alert.id), distance };
    return sendTwiml(reply, renderFor(deps, heard, ["whisper"], { vars }));
  };

  /** The Dial is over: either the citizen spoke to the meldkamer, or nobody answered and a spoken tip is offered. */
  const dialed: TwilioHandler = async (req, reply) => {
    const ctx = await contextFromQuery(deps, req.query, req.body);
    if (!ctx) return sendTwiml(reply, renderFailure(deps));
    const status = req.body.DialCallStatus;
    req.log.info(
      { deliveryId: ctx.deliveryId, alertId: ctx.alert?.id ?? null, callSid: req.body.CallSid, dialStatus: status },
      "meldkamer dial ended",
    );
    if (CONNECTED.has(status)) {
      const duration = Number(req.body.DialCallDuration);
      if (req.body.CallSid) {
        await publishConnected(
          deps,
          ctx,
          req.body.CallSid,
          "dial-action",
          Number.isFinite(duration) ? { durationS: duration } : {},
        );
      }
      return sendTwiml(reply, renderFor(deps, ctx, ["afterCall"]));
    }
    if (ctx.script.speech.model === null)
      return sendTwiml(
        reply,
        renderFor(deps, ctx, ["meldkamerUnavailable", "recordTip"], { action: { path: "recorded" } }),
      );
    return sendTwiml(reply, renderFor(deps, ctx, ["meldkamerUnavailable", "tip"], { action: { path: "tip" } }));
  };
  return { whisper, dialed };
}
