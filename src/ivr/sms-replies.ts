import { receiveMessage } from "../conversations/inbound.js";
import { recordPresence } from "../deliveries/presence.js";
import type { IvrDeps } from "./deps.js";
import { ivrQueries } from "./queries.js";
import type { OptionalSmsName, SmsName, Vars } from "./script-types.js";

/** What an inbound SMS is answered with; no name: nothing (a message in a running conversation). */
export interface Reply {
  name?: SmsName | OptionalSmsName;
  vars?: Vars;
}

/**
 * JA / NEE to the latest live alert that asked "are you nearby now?" by SMS, counted like the key in a call. Null when
 * no live alert sent to this phone asks it: the word is then what it was before, a tip.
 */
export async function presenceReply(deps: IvrDeps, phone: string, answer: "near" | "away"): Promise<Reply | null> {
  const now = deps.clock();
  const delivery = (await ivrQueries.latestLiveDelivery(deps.db, phone, now)).rows[0];
  if (!delivery?.presence_check) return null;
  await recordPresence(deps.db, delivery.delivery_id, answer, now);
  return { name: answer === "near" ? "presenceNear" : "presenceAway" };
}

/**
 * A text-only participant's message during a live alert sent to them goes to the meldkamer as a conversation
 * (src/conversations/): the first is acknowledged, the rest are not (the operator answers). Null otherwise: a tip.
 */
export async function textLineReply(
  deps: IvrDeps,
  phone: string,
  text: string,
  messageSid: string | undefined,
): Promise<Reply | null> {
  const now = deps.clock();
  const caller = (await ivrQueries.caller(deps.db, phone)).rows[0];
  if (!caller?.text_only) return null;
  const delivery = (await ivrQueries.latestLiveDelivery(deps.db, phone, now)).rows[0];
  if (!delivery) return null;
  const received = await receiveMessage(deps.db, {
    alertId: delivery.alert_id,
    regionCode: delivery.region_code,
    participantId: caller.id,
    text,
    messageSid: messageSid ? `in:${messageSid}` : null,
    now,
  });
  return received === "opened" ? { name: "conversationOpened" } : {};
}
