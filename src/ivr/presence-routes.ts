import type { TwilioHandler } from "../twilio/routes.js";
import { recordPresence, type Presence } from "../deliveries/presence.js";
import { deliveryContext, flagsOf, type CallContext } from "./context.js";
import { renderFailure, renderFor, sendTwiml, type IvrDeps } from "./deps.js";
import { answerOf, chooseOption, type Answer } from "./speech.js";

/** Does this alert call open with "are you nearby now?": the alert asks it and the caller's script can. */
export function asksPresence(ctx: CallContext): boolean {
  return ctx.purpose === "alert" && ctx.alert?.presenceCheck === true && ctx.script.steps.presenceCheck !== undefined;
}

/** Key 1 or "ja" near, key 2 or "nee" away; silence, another key or unclear speech: unknown. */
export function presenceOf(ctx: CallContext, answer: Answer): Presence {
  const menu = ctx.script.menus.presence;
  const option = menu && chooseOption(menu, flagsOf(ctx), answer, ctx.script.speech.menuMinConfidence);
  return option?.choice === "near" ? "near" : option?.choice === "away" ? "away" : "unknown";
}

export function presenceHandlers(deps: IvrDeps) {
  /**
   * The answer to the question an alert call opened with. Yes, and no usable answer within the menu's few seconds
   * (nobody is lost to silence), go on to the alert and its menu; no thanks the citizen and ends the call.
   */
  const presence: TwilioHandler = async (req, reply) => {
    const ctx = await deliveryContext(deps, Number(req.query.delivery));
    if (!ctx?.alert || ctx.deliveryId === null) return sendTwiml(reply, renderFailure(deps));
    if (!ctx.alert.live) return sendTwiml(reply, renderFor(deps, ctx, ["alertEnded"]));
    const answer = presenceOf(ctx, answerOf(req.body));
    await recordPresence(deps.db, ctx.deliveryId, answer, deps.clock());
    req.log.debug({ deliveryId: ctx.deliveryId, alertId: ctx.alert.id, callSid: req.body.CallSid, answer }, "presence");
    if (answer === "away") return sendTwiml(reply, renderFor(deps, ctx, ["presenceAway"]));
    return sendTwiml(reply, renderFor(deps, ctx, ["replay"], { action: { path: "menu", query: { try: 1 } } }));
  };
  return { presence };
}
