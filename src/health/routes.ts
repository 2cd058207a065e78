import type { FastifyInstance } from "fastify";
import type { Db } from "../db/db.js";
import { migrationsApplied } from "../db/migrate.js";

export function healthRoutes(db: Db) {
  return async function (app: FastifyInstance) {
    const status = { type: "object", properties: { status: { type: "string" }, reason: { type: "string" } } };
    app.get(
      "/healthz",
      { schema: { tags: ["health"], summary: "The process is up", response: { 200: status } } },
      async () => ({ status: "ok" }),
    );

    app.get(
      "/readyz",
      {
        schema: {
          tags: ["health"],
          summary: "The database is reachable and migrated",
          response: { 200: status, 503: status },
        },
      },
      async (req, reply) => {
        try {
          if (!(await migrationsApplied(db)))
            return reply.code(503).send({ status: "unavailable", reason: "migrations pending" });
          return { status: "ok" };
        } catch (err) {
          req.log.warn({ err }, "readiness check failed");
          return reply.code(503).send({ status: "unavailable", reason: "database unreachable" });
        }
      },
    );
  };
}
