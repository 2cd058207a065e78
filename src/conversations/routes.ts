import type { FastifyInstance } from "fastify";
import { principalOf, requireRole } from "../access/auth.js";
import type { Db } from "../db/db.js";
import { errorResponses } from "../http/schemas.js";
import { alertParams, conversationList, conversationParams, messageOutput, replyBody } from "./schemas.js";
import type { Conversations } from "./service.js";

export function conversationRoutes(conversations: Conversations, db: Db) {
  return async function (app: FastifyInstance) {
    app.addHook("onRequest", requireRole(db, "operator"));
    const tags = ["conversations"];
    const security = [{ apiKey: [] }];

    app.get<{ Params: { id: string } }>(
      "/v1/alerts/:id/conversations",
      {
        schema: {
          tags,
          security,
          summary: "The text line of an alert: conversations with text-only participants (audited)",
          params: alertParams,
          response: { 200: conversationList, ...errorResponses },
        },
      },
      async (req) => conversations.list(req.params.id, principalOf(req)),
    );

    app.post<{ Params: { id: string; cid: string }; Body: { text: string } }>(
      "/v1/alerts/:id/conversations/:cid/messages",
      {
        schema: {
          tags,
          security,
          summary: "Answer a text-only participant by SMS, at once (while the alert is live)",
          params: conversationParams,
          body: replyBody,
          response: { 200: messageOutput, ...errorResponses },
        },
      },
      async (req) => conversations.reply(req.params.id, req.params.cid, req.body.text, principalOf(req)),
    );
  };
}
