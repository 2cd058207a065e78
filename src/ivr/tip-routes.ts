import type { TwilioHandler } from "../twilio/routes.js";
import { contextFromQuery, type CallContext } from "./context.js";
import { renderFailure, renderFor, sendTwiml, type IvrDeps, type Params } from "./deps.js";
import { nearestDistance, recordSighting } from "./sightings.js";
import { answerOf } from "./speech.js";
import { keepForLater, readStep, stepKey } from "./steps.js";

interface PendingTip {
  transcript: string;
  confidence: number | null;
}

async function storeTip(
  deps: IvrDeps,
  ctx: CallContext,
  params: Params,
  key: string | null,
  tip: { transcript?: string | null; confidence?: number | null; recordingUrl?: string; recordingDurationS?: number },
) {
  const distanceM = ctx.alert
    ? await nearestDistance(deps.db, ctx.participantId, ctx.alert.centerLat, ctx.alert.centerLon)
    : null;
  return recordSighting(deps.db, {
    alertId: ctx.alert?.id ?? null,
    deliveryId: ctx.deliveryId,
    regionCode: ctx.regionCode,
    source: ctx.inbound ? "inbound" : "voice",
    participantId: ctx.participantId,
    callerPhone: ctx.callerPhone,
    callSid: params.CallSid ?? null,
    transcript: tip.transcript ?? null,
    confidence: tip.confidence ?? null,
    recordingUrl: tip.recordingUrl ?? null,
    recordingDurationS: tip.recordingDurationS ?? null,
    distanceM,
    idempotencyKey: key && `voice:${key}`,
  });
}

export function tipHandlers(deps: IvrDeps) {
  /** The spoken tip: stored when understood well enough, otherwise the caller is asked to record it. */
  const tip: TwilioHandler = async (req, reply) => {
    const ctx = await contextFromQuery(deps, req.query, req.body);
    if (!ctx) return sendTwiml(reply, renderFailure(deps));
    const { speech, confidence } = answerOf(req.body);
    const log = req.log.child({
      deliveryId: ctx.deliveryId,
      alertId: ctx.alert?.id ?? null,
      callSid: req.body.CallSid,
    });
    if (speech && (confidence ?? 0) >= ctx.script.speech.tipMinConfidence) {
      const { id, created } = await storeTip(deps, ctx, req.body, stepKey(req, "tip"), {
        transcript: speech,
        confidence,
      });
      log.info({ sightingId: id, created, confidence }, "spoken tip stored");
      return sendTwiml(reply, renderFor(deps, ctx, ["tipThanks"]));
    }
    const pendingKey = stepKey(req, "pending-tip");
    if (speech && pendingKey)
      await keepForLater(deps.db, pendingKey, {
        transcript: speech,
        confidence: confidence ?? null,
      } satisfies PendingTip);
    log.info(
      { heard: speech !== undefined, confidence: confidence ?? null },
      "tip not understood: asking for a recording",
    );
    return sendTwiml(reply, renderFor(deps, ctx, ["recordTip"], { action: { path: "recorded" } }));
  };

  /** The recorded tip, together with whatever the recogniser made of the first attempt. */
  const recorded: TwilioHandler = async (req, reply) => {
    const ctx = await contextFromQuery(deps, req.query, req.body);
    if (!ctx) return sendTwiml(reply, renderFailure(deps));
    const recordingUrl = req.body.RecordingUrl;
    if (!recordingUrl) return sendTwiml(reply, renderFor(deps, ctx, ["noInputGoodbye"]));
    const pendingKey = stepKey(req, "pending-tip");
    const pending = pendingKey ? await readStep<PendingTip>(deps.db, pendingKey) : undefined;
    const duration = Number(req.body.RecordingDuration);
    const { id, created } = await storeTip(deps, ctx, req.body, stepKey(req, "recording"), {
      transcript: pending?.transcript,
      confidence: pending?.confidence,
      recordingUrl,
      recordingDurationS: Number.isFinite(duration) ? Math.round(duration) : undefined,
    });
    req.log.info(
      {
        deliveryId: ctx.deliveryId,
        alertId: ctx.alert?.id ?? null,
        callSid: req.body.CallSid,
        sightingId: id,
        created,
      },
      "recorded tip stored",
    );
    return sendTwiml(reply, renderFor(deps, ctx, ["tipThanks"]));
  };
  return { tip, recorded };
}
