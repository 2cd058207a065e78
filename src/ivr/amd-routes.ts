import type { TwilioHandler } from "../twilio/routes.js";
import { deliveryContext, opening, type CallContext } from "./context.js";
import { renderFailure, renderFor, sendTwiml, voiceUrl, type IvrDeps } from "./deps.js";
import { ivrQueries } from "./queries.js";
import { claimStep, releaseStep } from "./steps.js";

const MAX_INLINE_TWIML = 4000;
const MACHINE_AT_BEEP = new Set(["machine_end_beep", "machine_end_silence", "machine_end_other"]);
const ANSWERED_BY = /^(human|machine_start|machine_end_beep|machine_end_silence|machine_end_other|fax|unknown)$/;

/**
 * The operator's closing message, or a general one when they gave none; the same on a voicemail. An update call
 * says its update the same way ("a message from Burgernet about the alert in …").
 */
function closingTwiml(deps: IvrDeps, ctx: CallContext): string {
  const message = (ctx.purpose === "update" ? ctx.alert?.updateText : ctx.alert?.closingMessage)?.trim();
  return message
    ? renderFor(deps, ctx, opening(ctx, ["closing"]), { vars: { closingMessage: message } })
    : renderFor(deps, ctx, opening(ctx, ["closed"]));
}

/** What a voicemail box records: the short alert message, or the closing message on a closing call. */
function voicemailTwiml(deps: IvrDeps, ctx: CallContext): string {
  return ctx.purpose === "alert" ? renderFor(deps, ctx, opening(ctx, ["voicemail"])) : closingTwiml(deps, ctx);
}

export function amdHandlers(deps: IvrDeps) {
  /**
   * Asynchronous answering-machine detection. The delivery's status belongs to the dispatcher's state machine; this
   * only records who answered, and leaves a voicemail when a machine is at its beep.
   */
  const amd: TwilioHandler = async (req, reply) => {
    const deliveryId = Number(req.query.delivery);
    const { AnsweredBy: answeredBy, CallSid: callSid } = req.body;
    if (!Number.isSafeInteger(deliveryId) || !ANSWERED_BY.test(answeredBy ?? "")) return reply.code(204).send();
    const log = req.log.child({ deliveryId, callSid, answeredBy });
    const key = callSid && MACHINE_AT_BEEP.has(answeredBy) ? `${callSid}:voicemail` : null;
    const leaveMessage = await deps.db.withTransaction(async (tx) => {
      await ivrQueries.setAnsweredBy(tx, deliveryId, answeredBy);
      return key !== null && (await claimStep(tx, key));
    });
    if (!leaveMessage) return reply.code(204).send();
    const ctx = await deliveryContext(deps, deliveryId);
    if (!ctx) return reply.code(204).send();
    try {
      // The one remote call of the IVR, and not on a TwiML path: Twilio waits for nobody here.
      const twiml = voicemailTwiml(deps, ctx);
      // Twilio takes at most 4,000 characters inline; a longer message is fetched like any other TwiML.
      const target = twiml.length <= MAX_INLINE_TWIML ? { twiml } : { url: voiceUrl(deps, "voicemail", ctx.ref) };
      await deps.carrier.redirectCall(callSid, target);
      log.info("voicemail left");
    } catch (err) {
      log.warn({ err }, "could not redirect the call to the voicemail message");
      await releaseStep(deps.db, key);
    }
    return reply.code(204).send();
  };

  const voicemail: TwilioHandler = async (req, reply) => {
    const ctx = await deliveryContext(deps, Number(req.query.delivery));
    return sendTwiml(reply, ctx ? voicemailTwiml(deps, ctx) : renderFailure(deps));
  };

  /** The closing message of an alert, for participants reached by voice only. */
  const closing: TwilioHandler = async (req, reply) => {
    const ctx = await deliveryContext(deps, Number(req.query.delivery));
    if (!ctx?.alert) return sendTwiml(reply, renderFailure(deps));
    return sendTwiml(reply, closingTwiml(deps, ctx));
  };
  return { amd, voicemail, closing };
}
