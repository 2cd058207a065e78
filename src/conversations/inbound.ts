import type { Db } from "../db/db.js";
import { publishEvent } from "../events/publish.js";
import { CONVERSATION_LIMITS } from "./limits.js";
import { presentMessage } from "./present.js";
import { conversationQueries as q } from "./queries.js";

export type Received = "opened" | "added" | "ignored" | "repeated";

/**
 * A text-only participant's SMS during a live alert: stored in their conversation about that alert (opened by the
 * first) and published as `conversation.message` to the unit's console, webhooks and live feed, in one transaction.
 * Beyond the inbound limit it is ignored (limits.ts). The conversation row is locked by the upsert, so two messages
 * arriving together are counted one after the other.
 */
export async function receiveMessage(
  db: Db,
  m: { alertId: string; regionCode: string; participantId: string; text: string; messageSid: string | null; now: Date },
): Promise<Received> {
  return db.withTransaction(async (tx) => {
    const c = (await q.open(tx, m)).rows[0];
    const { messages, windowSeconds } = CONVERSATION_LIMITS.inbound;
    const since = new Date(m.now.getTime() - windowSeconds * 1000);
    if (!c.opened && (await q.recent(tx, c.id, "in", since)) >= messages) return "ignored";
    const row = (
      await q.addMessage(tx, {
        conversationId: c.id,
        direction: "in",
        body: m.text,
        author: null,
        sid: m.messageSid,
        now: m.now,
      })
    ).rows[0];
    if (!row) return "repeated";
    await publishEvent(tx, {
      type: "conversation.message",
      region: m.regionCode,
      alertId: m.alertId,
      data: { alertId: m.alertId, ...presentMessage(row), participantId: m.participantId },
      at: m.now,
    });
    return c.opened ? "opened" : "added";
  });
}
