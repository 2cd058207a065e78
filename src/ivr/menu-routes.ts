import type { TwilioHandler } from "../twilio/routes.js";
import { contextFromQuery, deliveryContext, flagsOf, type CallContext } from "./context.js";
import { attempt, menuStep, renderFailure, renderFor, sendTwiml, voiceUrl, type IvrDeps } from "./deps.js";
import type { Choice } from "./script-types.js";
import { answerOf, chooseOption } from "./speech.js";
import { asksPresence } from "./presence-routes.js";

/** The TwiML for a choice made in the alert or general menu. */
function afterChoice(deps: IvrDeps, ctx: CallContext, choice: Choice, callSid: string | undefined): string {
  switch (choice) {
    case "connect":
      return renderFor(deps, ctx, ["connect"], {
        action: { path: "dialed" },
        dial: {
          number: ctx.meldkamerNumber,
          // The meldkamer sees who is calling and can call back; without a number, ours.
          callerId: ctx.callerPhone ?? deps.config.twilioFrom,
          whisperUrl: callSid ? voiceUrl(deps, "whisper", { ...ctx.ref, parent: callSid }) : undefined,
        },
      });
    case "report":
      // Where Twilio cannot transcribe the language, the tip is recorded straight away.
      if (ctx.script.speech.model === null)
        return renderFor(deps, ctx, ["recordTip"], { action: { path: "recorded" } });
      return renderFor(deps, ctx, ["tip"], { action: { path: "tip" } });
    case "replay":
      return renderFor(deps, ctx, ["replay"], { action: { path: "menu", query: { try: 1 } } });
    case "postcode":
      return renderFor(deps, ctx, ["postcode"], { action: { path: "postcode", query: { try: 1 } } });
    case "unsubscribe":
      return renderFor(deps, ctx, ["confirmUnsubscribe"], { action: { path: "unsubscribe" } });
    default:
      throw new Error(`choice ${choice} has no place in this menu`);
  }
}

export function menuHandlers(deps: IvrDeps) {
  /** The dispatcher's alert call: the intro, the alert text, the menu. */
  const alert: TwilioHandler = async (req, reply) => {
    const ctx = await deliveryContext(deps, Number(req.query.delivery));
    if (!ctx?.alert) return sendTwiml(reply, renderFailure(deps));
    // Debug: one for each call answered during an alert (the request's line, when there is one, names the call).
    req.log.debug(
      { deliveryId: ctx.deliveryId, alertId: ctx.alert.id, callSid: req.body.CallSid, live: ctx.alert.live },
      "alert call answered",
    );
    if (!ctx.alert.live) return sendTwiml(reply, renderFor(deps, ctx, ["alertEnded"]));
    const opening = asksPresence(ctx) ? "presence" : "alert";
    return sendTwiml(reply, deps.alertScripts.alertCall(deps, { ...ctx, alert: ctx.alert }, opening));
  };

  const menu: TwilioHandler = async (req, reply) => {
    const ctx = await contextFromQuery(deps, req.query, req.body);
    if (!ctx) return sendTwiml(reply, renderFailure(deps));
    const answer = answerOf(req.body);
    const menu = ctx.script.menus[ctx.alert ? "alert" : "general"];
    const option = chooseOption(menu, flagsOf(ctx), answer, ctx.script.speech.menuMinConfidence);
    req.log.debug(
      { deliveryId: ctx.deliveryId, alertId: ctx.alert?.id, callSid: req.body.CallSid, choice: option?.choice ?? null },
      "menu answer",
    );
    if (option) return sendTwiml(reply, afterChoice(deps, ctx, option.choice, req.body.CallSid));
    const tries = attempt(req.query);
    if (tries > ctx.script.retries) return sendTwiml(reply, renderFor(deps, ctx, ["noInputGoodbye"]));
    const heardSomething = answer.digits !== undefined || answer.speech !== undefined;
    return sendTwiml(
      reply,
      renderFor(deps, ctx, heardSomething ? ["notUnderstood", menuStep(ctx)] : [menuStep(ctx)], {
        action: { path: "menu", query: { try: tries + 1 } },
      }),
    );
  };
  return { alert, menu };
}
