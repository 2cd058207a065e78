import type { FastifyInstance } from "fastify";
import { principalOf, requireRole } from "../access/auth.js";
import type { Db } from "../db/db.js";
import { errorResponses } from "../http/schemas.js";
import { sightingIdParams, sightingList, sightingOutput, sightingsQuery } from "./schemas.js";
import type { Sightings } from "./service.js";

export function sightingRoutes(sightings: Sightings, db: Db) {
  return async function (app: FastifyInstance) {
    app.addHook("onRequest", requireRole(db, "operator"));
    const tags = ["sightings"];
    const security = [{ apiKey: [] }];

    app.get<{ Params: { id: string }; Querystring: { limit?: number; after?: string; groupBy?: "cluster" } }>(
      "/v1/alerts/:id/sightings",
      {
        schema: {
          tags,
          security,
          summary: "The tips of an alert, oldest first, or in groups of related tips with ?groupBy=cluster (audited)",
          params: sightingIdParams,
          querystring: sightingsQuery,
          response: { 200: sightingList, ...errorResponses },
        },
      },
      async (req) => sightings.ofAlert(req.params.id, principalOf(req), req.query),
    );

    app.get<{ Params: { id: string } }>(
      "/v1/sightings/:id",
      {
        schema: {
          tags,
          security,
          summary: "One tip: transcript, confidence, distance, time and a recording link (audited)",
          params: sightingIdParams,
          response: { 200: sightingOutput, ...errorResponses },
        },
      },
      async (req) => sightings.get(req.params.id, principalOf(req)),
    );

    app.get<{ Params: { id: string } }>(
      "/v1/sightings/:id/recording",
      {
        schema: {
          tags,
          security,
          summary: "The spoken tip's audio, streamed from the carrier through this service (audited)",
          params: sightingIdParams,
          response: errorResponses,
        },
      },
      async (req, reply) => {
        const media = await sightings.recording(req.params.id, principalOf(req));
        return reply.type(media.type).header("cache-control", "no-store").send(media.body);
      },
    );
  };
}
