import type { FastifyInstance } from "fastify";
import { principalOf, requireRole } from "../access/auth.js";
import type { Db } from "../db/db.js";
import { errorResponses } from "../http/schemas.js";
import { analyticsCsv } from "./csv.js";
import type { GroupBy } from "./queries.js";
import { analyticsOutput, analyticsQuery } from "./schemas.js";
import { createAnalytics } from "./service.js";

interface Query {
  from: string;
  to: string;
  groupBy?: Exclude<GroupBy, "total">;
  format?: "json" | "csv";
  drill?: boolean;
}

export function analyticsRoutes(db: Db) {
  const analytics = createAnalytics({ db });
  return async function (app: FastifyInstance) {
    app.get<{ Querystring: Query }>(
      "/v1/analytics",
      {
        onRequest: requireRole(db, "operator"),
        schema: {
          tags: ["reports"],
          security: [{ apiKey: [] }],
          summary: "What works across alerts: reach, answers, tips, put-throughs, outcomes per unit, kind, channel…",
          querystring: analyticsQuery,
          response: { 200: analyticsOutput, ...errorResponses },
        },
      },
      async (req, reply) => {
        const answer = await analytics.figures(req.query, principalOf(req));
        const wantsCsv =
          req.query.format === "csv" || (!req.query.format && /\btext\/csv\b/i.test(req.headers.accept ?? ""));
        if (!wantsCsv) return answer;
        return reply
          .type("text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="analytics-by-${answer.groupBy}.csv"`)
          .send(analyticsCsv(answer));
      },
    );
  };
}
