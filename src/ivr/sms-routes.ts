import type { TwilioHandler } from "../twilio/routes.js";
import twilio from "twilio";
import { lookupPc4, parsePostcode } from "../geo/pc4.js";
import type { Participants } from "../participants/service.js";
import type { IvrDeps } from "./deps.js";
import { participantQueries } from "../participants/queries.js";
import { erasePhone, moveHome, resubscribePhone, unsubscribePhone } from "./participant-actions.js";
import { ivrQueries } from "./queries.js";
import { regionOfPostcode } from "./regions.js";
import { scriptFor } from "./load-scripts.js";
import { nearestDistance, recordSighting } from "./sightings.js";
import { keywordLanguage, parseSms, type SmsCommand } from "./sms-parse.js";
import { smsReply } from "./sms-reply.js";
import { presenceReply, textLineReply, type Reply } from "./sms-replies.js";
import { keepForLater, readStep } from "./steps.js";
import { writePhone } from "./spoken.js";
import { languageOr, type Language } from "../languages/languages.js";

/** The registry's own code check (hashing, attempts, expiry): an SMS with the code is one more way in. */
export type CodeVerifier = Pick<Participants, "verify">;

export function smsHandlers(deps: IvrDeps, participants: CodeVerifier) {
  async function verifyCode(phone: string, code: string): Promise<Reply> {
    const pending = await participantQueries.latestPending(deps.db, phone);
    if (!pending.rowCount) return { name: "noPendingCode" };
    try {
      await participants.verify(pending.rows[0].id, code, "citizen:sms");
      return { name: "verified" };
    } catch (err) {
      if (((err as { statusCode?: number }).statusCode ?? 500) < 500) return { name: "codeRejected" };
      throw err;
    }
  }

  async function move(phone: string, input: string, key: string): Promise<Reply> {
    const caller = (await ivrQueries.caller(deps.db, phone)).rows[0];
    if (!caller) return { name: "notSubscribed" };
    const postcode = parsePostcode(input);
    if (!postcode) return { name: "moveUsage" };
    const pc4 = lookupPc4(postcode.pc4);
    if (!pc4) return { name: "unknownPostcode", vars: { postcode: postcode.pc4 } };
    await moveHome(deps.db, caller.id, pc4, deps.clock(), "sms", key, postcode.normalised);
    return { name: "moved", vars: { postcode: postcode.normalised, place: pc4.place } };
  }

  async function tip(phone: string, text: string, messageSid: string | undefined): Promise<Reply> {
    const now = deps.clock();
    const delivery = (await ivrQueries.latestLiveDelivery(deps.db, phone, now)).rows[0];
    const caller = (await ivrQueries.caller(deps.db, phone)).rows[0];
    const participantId = delivery?.participant_id ?? caller?.id ?? null;
    await recordSighting(deps.db, {
      alertId: delivery?.alert_id ?? null,
      deliveryId: delivery?.delivery_id ?? null,
      regionCode: delivery?.region_code ?? regionOfPostcode(caller?.home_postcode) ?? deps.config.defaultRegion,
      source: "sms",
      participantId,
      callerPhone: phone,
      transcript: text,
      distanceM: delivery
        ? await nearestDistance(deps.db, participantId, delivery.center_lat, delivery.center_lon)
        : null,
      idempotencyKey: messageSid ? `sms:${messageSid}` : null,
    });
    return { name: "tipThanks" };
  }

  async function tipOrMessage(phone: string, text: string, messageSid: string | undefined): Promise<Reply> {
    return (await textLineReply(deps, phone, text, messageSid)) ?? tip(phone, text, messageSid);
  }

  async function handle(phone: string, command: SmsCommand, messageSid: string | undefined): Promise<Reply> {
    switch (command.kind) {
      case "stop":
        return (await unsubscribePhone(deps.db, phone, deps.clock(), "sms", deps.config.defaultRegion)) > 0
          ? { name: "unsubscribed" }
          : { name: "notSubscribed" };
      case "start": {
        const outcome = await resubscribePhone(deps.db, phone, deps.clock());
        return {
          name:
            outcome === "resubscribed" ? "resubscribed" : outcome === "already" ? "alreadySubscribed" : "howToRegister",
        };
      }
      case "erase":
        await erasePhone(deps.db, phone, deps.clock(), "sms");
        return { name: "erased" };
      case "info":
        return { name: "info" };
      case "code":
        return verifyCode(phone, command.code);
      case "move":
        return move(phone, command.postcode, `sms:${messageSid}:move`);
      case "presence":
        return (await presenceReply(deps, phone, command.answer)) ?? tipOrMessage(phone, command.text, messageSid);
      case "drills": {
        const changed = await participantQueries.setDrillsByPhone(deps.db, phone, command.on, deps.clock());
        if (!changed.rowCount) return { name: "notSubscribed" };
        return { name: command.on ? "drillsOn" : "drillsOff" };
      }
      case "tip":
        return command.text ? tipOrMessage(phone, command.text, messageSid) : { name: "info" };
    }
  }

  /** An SMS to the Burgernet number: a keyword, a code, or a tip; always answered by SMS. */
  const smsInbound: TwilioHandler = async (req, reply) => {
    const phone = req.body.From;
    const messageSid = req.body.MessageSid;
    const command = parseSms(req.body.Body ?? "");
    const log = req.log.child({ messageSid, command: command.kind });
    // A retry of a handled message gets the same answer, without doing anything again.
    const replyKey = messageSid ? `sms:${messageSid}:reply` : null;
    let text = replyKey ? await readStep<string>(deps.db, replyKey) : undefined;
    if (text === undefined) {
      if (!phone) return reply.code(400).send();
      const language = await languageOf(deps, phone, req.body.Body ?? "");
      const answer = await handle(phone, command, messageSid);
      const script = scriptFor(deps.scripts, language);
      const template = answer.name && (script.sms[answer.name] ?? deps.scripts.nl.sms[answer.name]);
      const vars = { callbackNumber: writePhone(deps.config.burgernetNumber), ...answer.vars };
      text = template ? smsReply(template, language, vars) : "";
      if (replyKey) await keepForLater(deps.db, replyKey, text);
      log.info({ reply: answer.name ?? null }, "inbound SMS handled");
    } else {
      log.info("inbound SMS retried: same reply");
    }
    const out = new twilio.twiml.MessagingResponse();
    if (text) out.message(text);
    return reply.type("text/xml; charset=utf-8").send(out.toString());
  };
  return { smsInbound };
}

/** The participant's language when the phone is known; otherwise the language of a keyword only it has, or Dutch. */
async function languageOf(deps: IvrDeps, phone: string, body: string): Promise<Language> {
  const res = await participantQueries.languageOfPhone(deps.db, phone);
  return languageOr(res.rows[0]?.language ?? keywordLanguage(body));
}
