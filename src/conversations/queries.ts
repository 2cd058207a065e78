import type { Queryable } from "../db/db.js";

export interface ConversationRow {
  id: string;
  alert_id: string;
  participant_id: string;
  region_code: string;
  created_at: Date;
  last_message_at: Date;
  phone: string | null;
}

export interface MessageRow {
  id: string;
  conversation_id: string;
  direction: "in" | "out";
  body: string;
  author: string | null;
  created_at: Date;
}

/** The text line's tables (sql/021): conversations of text-only participants with the meldkamer, and their messages. */
export const conversationQueries = {
  /** The conversation of this participant about this alert, opened by their first message. */
  open: (db: Queryable, c: { alertId: string; participantId: string; regionCode: string; now: Date }) =>
    db.query<{ id: string; opened: boolean }>(
      `INSERT INTO conversations AS c (alert_id, participant_id, region_code, created_at, last_message_at)
       VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (alert_id, participant_id) DO UPDATE SET last_message_at = greatest(c.last_message_at, $4)
       RETURNING id, (xmax = 0) AS opened`,
      [c.alertId, c.participantId, c.regionCode, c.now],
    ),

  /** Messages in one direction within the window: what the limits count. */
  recent: async (db: Queryable, conversationId: string, direction: "in" | "out", since: Date) =>
    (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM conversation_messages
          WHERE conversation_id = $1 AND direction = $2 AND created_at > $3`,
        [conversationId, direction, since],
      )
    ).rows[0].n,

  /** Null when a message with this provider SID is stored already (Twilio retried the webhook). */
  addMessage: (
    db: Queryable,
    m: {
      conversationId: string;
      direction: "in" | "out";
      body: string;
      author: string | null;
      sid: string | null;
      now: Date;
    },
  ) =>
    db.query<MessageRow>(
      `INSERT INTO conversation_messages (conversation_id, direction, body, author, provider_sid, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (provider_sid) DO NOTHING
       RETURNING id::text, conversation_id, direction, body, author, created_at`,
      [m.conversationId, m.direction, m.body, m.author, m.sid, m.now],
    ),

  setSid: (db: Queryable, id: string, sid: string) =>
    db.query("UPDATE conversation_messages SET provider_sid = $2 WHERE id = $1", [id, sid]),

  /** One conversation of an alert, with the participant's number as it is now (null once erased). */
  get: (db: Queryable, alertId: string, id: string, lock = false) =>
    db.query<ConversationRow & { language: "nl" | "en"; participant_status: string }>(
      `SELECT c.*, p.phone, p.language, p.status AS participant_status
         FROM conversations c JOIN participants p ON p.id = c.participant_id
        WHERE c.alert_id = $1 AND c.id = $2 ${lock ? "FOR UPDATE OF c" : ""}`,
      [alertId, id],
    ),

  ofAlert: (db: Queryable, alertId: string) =>
    db.query<ConversationRow>(
      `SELECT c.*, p.phone FROM conversations c JOIN participants p ON p.id = c.participant_id
        WHERE c.alert_id = $1 ORDER BY c.last_message_at DESC, c.id LIMIT 200`,
      [alertId],
    ),

  messagesOf: (db: Queryable, conversationIds: string[]) =>
    db.query<MessageRow>(
      `SELECT id::text, conversation_id, direction, body, author, created_at FROM conversation_messages
        WHERE conversation_id = ANY ($1::uuid[]) ORDER BY id`,
      [conversationIds],
    ),
};
