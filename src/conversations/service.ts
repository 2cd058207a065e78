import type { FastifyBaseLogger } from "fastify";
import { assertOwnUnit } from "../access/auth.js";
import type { Principal } from "../access/keys.js";
import { isLiveAlert } from "../alerts/states.js";
import { audit } from "../audit/audit.js";
import type { Db } from "../db/db.js";
import { Errors, withDetails } from "../errors.js";
import { publishEvent } from "../events/publish.js";
import { MAX_SMS_SEGMENTS, outgoingSmsSegments, smsBody } from "../rules/sms-segments.js";
import { carrierFailure } from "./carrier-failure.js";
import { CONVERSATION_LIMITS } from "./limits.js";
import { presentConversation, presentMessage } from "./present.js";
import { conversationQueries as q, type MessageRow } from "./queries.js";

export interface ConversationDeps {
  db: Db;
  clock: () => Date;
  log: FastifyBaseLogger;
  /** One SMS through the carrier, within the shared pace; returns its SID. */
  sendSms: (to: string, body: string) => Promise<string>;
}

/** The operator's side of the text line: read an alert's conversations, answer in one by SMS. */
export function createConversations({ db, clock, log, sendSms }: ConversationDeps) {
  async function alertOf(alertId: string, principal: Principal) {
    const a = (
      await db.query<{ id: string; region_code: string; status: string; expires_at: Date }>(
        "SELECT id, region_code, status, expires_at FROM alerts WHERE id = $1",
        [alertId],
      )
    ).rows[0];
    if (!a) throw new Errors.AlertNotFound();
    assertOwnUnit(principal, a.region_code, () => new Errors.AlertNotFound());
    return a;
  }

  return {
    /** Every conversation of the alert with its messages, newest conversation first; the read is audited. */
    async list(alertId: string, principal: Principal) {
      const a = await alertOf(alertId, principal);
      const conversations = (await q.ofAlert(db, alertId)).rows;
      const messages = (
        await q.messagesOf(
          db,
          conversations.map((c) => c.id),
        )
      ).rows;
      const byConversation = new Map<string, MessageRow[]>();
      for (const m of messages)
        byConversation.set(m.conversation_id, [...(byConversation.get(m.conversation_id) ?? []), m]);
      await audit(db, {
        actor: principal.keyId,
        action: "conversation.read",
        subjectType: "alert",
        subjectId: alertId,
        details: { count: conversations.length },
      });
      const open = isLiveAlert(a, clock());
      return conversations.map((c) => presentConversation(c, open, byConversation.get(c.id) ?? []));
    },

    /**
     * Sends the operator's answer by SMS at once and records it. Only while the alert is live (the conversation ends
     * with it), only to a participant still active (their latest word counts), within the outbound limit.
     */
    async reply(alertId: string, conversationId: string, text: string, principal: Principal) {
      const a = await alertOf(alertId, principal);
      const now = clock();
      if (!isLiveAlert(a, now)) throw new Errors.Conflict("The alert has ended, and its conversations with it");
      const body = smsBody(text, "nl");
      const segments = outgoingSmsSegments(text, "nl");
      if (segments.segments > MAX_SMS_SEGMENTS)
        throw withDetails(
          new Errors.Validation(`The reply needs ${segments.segments} SMS segments; at most ${MAX_SMS_SEGMENTS}`),
          { path: "body/text", ...segments },
        );
      return db.withTransaction(async (tx) => {
        // Locked: two operators answering at once are counted one after the other.
        const c = (await q.get(tx, alertId, conversationId, true)).rows[0];
        if (!c) throw new Errors.NotFound("Conversation");
        if (c.participant_status !== "active" || !c.phone)
          throw new Errors.Conflict("The participant can no longer be reached (unsubscribed or erased)");
        const { messages, windowSeconds } = CONVERSATION_LIMITS.outbound;
        const since = new Date(now.getTime() - windowSeconds * 1000);
        if ((await q.recent(tx, c.id, "out", since)) >= messages)
          throw withDetails(
            new Errors.TooManyRequests(`At most ${messages} replies per conversation in ${windowSeconds} s`),
            { limit: messages, windowSeconds },
          );
        // Thrown inside the transaction: a refused reply leaves no message, audit entry or event behind.
        const sid = await sendSms(c.phone, body).catch((err: unknown) => {
          throw carrierFailure(err);
        });
        const row = (
          await q.addMessage(tx, { conversationId: c.id, direction: "out", body, author: principal.keyId, sid, now })
        ).rows[0];
        await audit(tx, {
          actor: principal.keyId,
          action: "conversation.replied",
          subjectType: "conversation",
          subjectId: c.id,
          details: { alertId, messageId: row.id },
          at: now,
        });
        const message = presentMessage(row);
        await publishEvent(tx, {
          type: "conversation.message",
          region: c.region_code,
          alertId,
          data: { alertId, ...message, participantId: c.participant_id },
          at: now,
        });
        log.info({ alertId, conversationId: c.id, messageId: row.id }, "conversation reply sent");
        return message;
      });
    },
  };
}

export type Conversations = ReturnType<typeof createConversations>;
