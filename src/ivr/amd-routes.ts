import twilio from "twilio";
import type { TwilioHandler } from "../twilio/routes.js";
import { deliveryContext, opening, type CallContext } from "./context.js";
import { renderFailure, renderFor, sendTwiml, voiceUrl, type IvrDeps } from "./deps.js";
import { ivrQueries } from "./queries.js";
import { claimStep, releaseStep } from "./steps.js";

const MAX_INLINE_TWIML = 4000;
const MACHINE_AT_BEEP = new Set(["machine_end_beep", "machine_end_silence", "machine_end_other"]);
const ANSWERED_BY = /^(human|machine_start|machine_end_beep|machine_end_silence|machine_end_other|fax|unknown)$/;

// A closing call waits for the machine's verdict in steps of this many seconds, for at most Twilio's default
// MachineDetectionTimeout (30 s) after its message: a greeting longer than the message would otherwise outlast the
// call, and the box would record nothing.
const WAIT_STEP_SECONDS = 2;
const WAIT_STEPS = 15;

/**
 * The operator's closing message, or a general one when they gave none; the same on a voicemail. An update call
 * says its update the same way ("a message from Burgernet about the alert in …"). `wait`: the live call goes on to
 * afterClosing at the end instead of hanging up.
 */
function closingTwiml(deps: IvrDeps, ctx: CallContext, wait = false): string {
  const message = (ctx.purpose === "update" ? ctx.alert?.updateText : ctx.alert?.closingMessage)?.trim();
  const hangupRedirect = wait ? voiceUrl(deps, "afterClosing", { ...ctx.ref, try: 1 }) : undefined;
  return message
    ? renderFor(deps, ctx, opening(ctx, ["closing"]), { vars: { closingMessage: message }, hangupRedirect })
    : renderFor(deps, ctx, opening(ctx, ["closed"]), { hangupRedirect });
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
    return sendTwiml(reply, closingTwiml(deps, ctx, true));
  };

  /**
   * The closing message has been read. A person has heard it: hang up. While machine detection runs, or a machine's
   * verdict is in and the AMD callback is leaving the message (its redirect replaces this), wait a little longer.
   */
  const afterClosing: TwilioHandler = async (req, reply) => {
    const deliveryId = Number(req.query.delivery);
    const step = Number(req.query.try);
    const answeredBy = Number.isSafeInteger(deliveryId) ? await ivrQueries.answeredBy(deps.db, deliveryId) : null;
    const waiting = (answeredBy === null || MACHINE_AT_BEEP.has(answeredBy)) && step >= 1 && step < WAIT_STEPS;
    const twiml = new twilio.twiml.VoiceResponse();
    if (waiting) {
      twiml.pause({ length: WAIT_STEP_SECONDS });
      twiml.redirect({ method: "POST" }, voiceUrl(deps, "afterClosing", { delivery: deliveryId, try: step + 1 }));
    } else twiml.hangup();
    return sendTwiml(reply, twiml.toString());
  };
  return { amd, voicemail, closing, afterClosing };
}
