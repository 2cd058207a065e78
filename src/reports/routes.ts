import type { FastifyInstance } from "fastify";
import { principalOf, requireRole } from "../access/auth.js";
import type { Db } from "../db/db.js";
import { errorResponses } from "../http/schemas.js";
import { createReports } from "./service.js";
import { actualCostSchema } from "../cost/actual.js";

const count = { type: "integer" } as const;
const reportOutput = {
  type: "object",
  properties: {
    alertId: { type: "string" },
    status: { type: "string" },
    mode: { enum: ["live", "drill"], description: "A drill's figures are practice: keep them apart from live ones" },
    followUps: {
      type: "object",
      description: "Follow-ups (POST /v1/alerts/{id}/updates): how many, and update messages reached",
      properties: { updates: { type: "integer" }, notified: { type: "integer" }, reached: { type: "integer" } },
    },
    widened: { type: "integer", description: "Times the area was widened, by hand or by escalation" },
    targeted: count,
    reached: { ...count, description: "Participants who answered, got voicemail, or had an SMS delivered" },
    inProgress: count,
    canceled: count,
    calls: {
      type: "object",
      properties: { total: count, answered: count, voicemail: count, busy: count, noAnswer: count, failed: count },
    },
    sms: { type: "object", properties: { total: count, delivered: count, failed: count } },
    tips: { type: "object", properties: { total: count, voice: count, sms: count, inbound: count } },
    presence: {
      type: "object",
      description: 'Participants by their answer to "are you nearby now?" (calls and SMS replies)',
      properties: { near: count, away: count, unknown: count },
    },
    putThrough: { ...count, description: "Calls put through to the meldkamer" },
    timeToFirstAnswerSeconds: { type: ["number", "null"] },
    timeToFirstTipSeconds: { type: ["number", "null"] },
    photo: {
      type: "object",
      description: "Alert SMS that carried the photo link, how many of those were opened, and openings in all",
      properties: { links: count, opened: count, views: count },
    },
    cost: actualCostSchema,
  },
} as const;

export function reportRoutes(db: Db) {
  const reports = createReports({ db });
  return async function (app: FastifyInstance) {
    app.get<{ Params: { id: string }; Querystring: { format: "json" | "csv" } }>(
      "/v1/alerts/:id/report",
      {
        onRequest: requireRole(db, "operator"),
        schema: {
          tags: ["reports"],
          security: [{ apiKey: [] }],
          summary: "Outcome of an alert; ?format=csv lists its deliveries with masked phone numbers",
          params: { type: "object", required: ["id"], properties: { id: { type: "string", format: "uuid" } } },
          querystring: {
            type: "object",
            additionalProperties: false,
            properties: { format: { type: "string", enum: ["json", "csv"], default: "json" } },
          },
          response: { 200: reportOutput, ...errorResponses },
        },
      },
      async (req, reply) => {
        const principal = principalOf(req);
        if (req.query.format !== "csv") return reports.summary(req.params.id, principal);
        const stream = await reports.csv(req.params.id, principal);
        return reply
          .type("text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="alert-${req.params.id}-deliveries.csv"`)
          .send(stream);
      },
    );
  };
}
