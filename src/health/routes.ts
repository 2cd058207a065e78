import type { FastifyInstance } from "fastify";
import { VERSION } from "../build-info.js";
import type { Db } from "../db/db.js";
import { migrationsApplied } from "../db/migrate.js";
import { haltQueries } from "../dispatch/halt-queries.js";

export function healthRoutes(db: Db, { simulatedNetwork = false, commit = "unknown" } = {}) {
  return async function (app: FastifyInstance) {
    const status = {
      type: "object",
      properties: {
        status: { type: "string" },
        reason: { type: "string" },
        network: { type: "string" },
        version: { type: "string" },
        commit: { type: "string" },
        dispatch: {
          type: "object",
          additionalProperties: {
            type: "object",
            properties: {
              state: { enum: ["running", "halted"] },
              since: { type: "string" },
              carrierCode: { type: ["integer", "null"] },
            },
          },
        },
      },
    };
    // Says when calls and SMS go to simulated citizens, so nobody takes their tips for real ones.
    const network = simulatedNetwork ? "simulated" : "carrier";
    app.get(
      "/healthz",
      {
        schema: {
          tags: ["health"],
          summary: "The process is up; `version` and `commit` (BUILD_COMMIT) say what runs",
          response: { 200: status },
        },
      },
      async () => ({ status: "ok", version: VERSION, commit }),
    );

    app.get(
      "/readyz",
      {
        schema: {
          tags: ["health"],
          summary: "The database is reachable and migrated; `dispatch` shows channels halted by the carrier",
          response: { 200: status, 503: status },
        },
      },
      async (req, reply) => {
        try {
          if (!(await migrationsApplied(db)))
            return reply.code(503).send({ status: "unavailable", reason: "migrations pending" });
          // A channel the carrier refused at account level shows as degraded, still 200: the instance must keep
          // serving the API and the carrier's callbacks, and the halt lifts itself when a probe gets through.
          const halts = (await haltQueries.state(db)).rows;
          const dispatch = Object.fromEntries(
            halts.map((h) => [
              h.channel,
              h.halted_at
                ? { state: "halted", since: h.halted_at.toISOString(), carrierCode: h.halt_code }
                : { state: "running" },
            ]),
          );
          return { status: halts.some((h) => h.halted_at) ? "degraded" : "ok", network, dispatch };
        } catch (err) {
          req.log.warn({ err }, "readiness check failed");
          // Degraded, not gone: the process stays up and resumes by itself when the database is back.
          return reply.code(503).send({ status: "degraded", reason: "database unreachable", network });
        }
      },
    );
  };
}
