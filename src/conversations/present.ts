import { maskPhone } from "../participants/phone.js";
import { maskPhonesInText } from "../participants/mask.js";
import type { ConversationRow, MessageRow } from "./queries.js";

/** A message as operators see it: numbers in the text masked, as in a tip's transcript. */
export function presentMessage(m: MessageRow) {
  return {
    id: m.id,
    conversationId: m.conversation_id,
    direction: m.direction,
    text: maskPhonesInText(m.body),
    author: m.author,
    createdAt: m.created_at.toISOString(),
  };
}

export function presentConversation(c: ConversationRow, open: boolean, messages: MessageRow[]) {
  return {
    id: c.id,
    alertId: c.alert_id,
    participantId: c.participant_id,
    phone: maskPhone(c.phone),
    open,
    createdAt: c.created_at.toISOString(),
    lastMessageAt: c.last_message_at.toISOString(),
    messages: messages.map(presentMessage),
  };
}
