import type { FastifyInstance } from "fastify";
import type { Db } from "../db/db.js";
import { requireRole } from "../access/auth.js";
import { errorResponses } from "../http/schemas.js";
import { presentTemplates } from "./present.js";
import { templatesOutput } from "./schemas.js";
import type { Templates } from "./types.js";

/** GET /v1/templates: what an operator can start an alert from. */
export function templateRoutes(templates: Templates, db: Db) {
  const body = presentTemplates(templates);
  return async function (app: FastifyInstance) {
    app.addHook("onRequest", requireRole(db, "operator"));
    app.get(
      "/v1/templates",
      {
        schema: {
          tags: ["alerts"],
          security: [{ apiKey: [] }],
          summary: "Alert templates: kinds, typed fields and texts in every language",
          response: { 200: templatesOutput, ...errorResponses },
        },
      },
      async () => body,
    );
  };
}
