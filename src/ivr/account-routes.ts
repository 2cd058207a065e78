import type { TwilioHandler } from "../twilio/routes.js";
import { lookupPc4 } from "../geo/pc4.js";
import { contextFromQuery, flagsOf } from "./context.js";
import { attempt, menuStep, renderFailure, renderFor, sendTwiml, type IvrDeps } from "./deps.js";
import { moveHome, unsubscribePhone } from "./participant-actions.js";
import { answerOf, chooseOption } from "./speech.js";
import { speakDigits } from "./spoken.js";
import { stepKey } from "./steps.js";

/** What a registered caller can change by phone: stop, or move. */
export function accountHandlers(deps: IvrDeps) {
  const unsubscribe: TwilioHandler = async (req, reply) => {
    const ctx = await contextFromQuery(deps, req.query, req.body);
    if (!ctx) return sendTwiml(reply, renderFailure(deps));
    const option = chooseOption(
      ctx.script.menus.confirm,
      flagsOf(ctx),
      answerOf(req.body),
      ctx.script.speech.menuMinConfidence,
    );
    if (option?.choice === "yes" && ctx.callerPhone) {
      // Retries find nothing left to unsubscribe and publish nothing.
      const count = await unsubscribePhone(deps.db, ctx.callerPhone, deps.clock(), "voice", ctx.regionCode);
      req.log.info({ deliveryId: ctx.deliveryId, callSid: req.body.CallSid, count }, "unsubscribed by phone");
      return sendTwiml(reply, renderFor(deps, ctx, ["unsubscribed"]));
    }
    return sendTwiml(
      reply,
      renderFor(deps, ctx, ["stillSubscribed", menuStep(ctx)], { action: { path: "menu", query: { try: 1 } } }),
    );
  };

  const postcode: TwilioHandler = async (req, reply) => {
    const ctx = await contextFromQuery(deps, req.query, req.body);
    if (!ctx?.participantId) return sendTwiml(reply, renderFailure(deps));
    const digits = req.body.Digits ?? "";
    const pc4 = /^[1-9][0-9]{3}$/.test(digits) ? lookupPc4(digits) : undefined;
    if (pc4) {
      await moveHome(
        deps.db,
        ctx.participantId,
        pc4,
        deps.clock(),
        "voice",
        stepKey(req, `postcode:${attempt(req.query)}`),
      );
      req.log.info({ callSid: req.body.CallSid, participantId: ctx.participantId }, "home postcode changed by phone");
      return sendTwiml(
        reply,
        renderFor(deps, ctx, ["postcodeChanged"], { vars: { postcode: speakDigits(pc4.pc4), place: pc4.place } }),
      );
    }
    const tries = attempt(req.query);
    if (tries > ctx.script.retries) return sendTwiml(reply, renderFor(deps, ctx, ["noInputGoodbye"]));
    return sendTwiml(
      reply,
      renderFor(deps, ctx, digits ? ["postcodeUnknown", "postcode"] : ["postcode"], {
        vars: { postcode: speakDigits(digits) },
        action: { path: "postcode", query: { try: tries + 1 } },
      }),
    );
  };
  return { unsubscribe, postcode };
}
