import type { FastifyInstance } from "fastify";
import { principalOf, requireRole } from "../access/auth.js";
import type { Db } from "../db/db.js";
import { errorResponses } from "../http/schemas.js";
import { CapErrors } from "./errors.js";
import type { CapIntake } from "./service.js";

/** Real CAP alerts are a few kB; the largest shipped sample is under 10 kB. */
export const CAP_BODY_LIMIT = 128 * 1024;

const capResult = {
  type: "object",
  properties: {
    msgType: { type: "string" },
    action: { type: "string", enum: ["created", "drafted", "updated", "cancelled"] },
    alertIds: { type: "array", items: { type: "string" } },
    duplicate: { type: "boolean" },
  },
} as const;

export function capRoutes(intake: CapIntake, db: Db) {
  return async function (app: FastifyInstance) {
    const xmlTypes = ["application/cap+xml", "application/xml", "text/xml"];
    app.addContentTypeParser(xmlTypes, { parseAs: "string", bodyLimit: CAP_BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );

    app.post<{ Body: string }>(
      "/v1/cap",
      {
        bodyLimit: CAP_BODY_LIMIT,
        onRequest: requireRole(db, "operator"),
        // Fastify would also hand us text/plain as a string: only XML media types are CAP.
        preValidation: async (req) => {
          if (
            !xmlTypes.includes(
              String(req.headers["content-type"] ?? "")
                .split(";")[0]
                .trim()
                .toLowerCase(),
            )
          )
            throw new CapErrors.MediaType();
        },
        schema: {
          tags: ["cap"],
          security: [{ apiKey: [] }],
          summary: "Receive a CAP 1.2 message (application/cap+xml): Alert creates, Update changes, Cancel cancels",
          // 201 when an Alert created an alert (with its Location), 200 for Update, Cancel and repeats.
          response: { 200: capResult, 201: capResult, ...errorResponses },
        },
      },
      async (req, reply) => {
        const result = await intake.intake(req.body, principalOf(req));
        const created = !result.duplicate && result.msgType === "Alert";
        if (created && result.alertIds[0]) reply.header("location", `/v1/alerts/${result.alertIds[0]}`);
        return reply.code(created ? 201 : 200).send(result);
      },
    );
  };
}
