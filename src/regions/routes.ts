import type { FastifyInstance } from "fastify";
import { assertRegion, principalOf, requireRole } from "../access/auth.js";
import { audit } from "../audit/audit.js";
import type { Db } from "../db/db.js";
import { Errors } from "../errors.js";
import { errorResponses } from "../http/schemas.js";
import { unitBoundary, unitMunicipalities } from "./geo.js";
import { regionQueries as q, type RegionRow } from "./queries.js";
import { REGION_CODE_PATTERN } from "./code.js";

const codeParams = {
  type: "object",
  required: ["code"],
  properties: { code: { type: "string", pattern: REGION_CODE_PATTERN } },
} as const;

const regionOutput = {
  type: "object",
  properties: {
    code: { type: "string" },
    name: { type: "string" },
    meldkamerNumber: { type: ["string", "null"], description: "Where 'press 1' puts callers through; null: default" },
  },
} as const;

const geoFeature = { type: "object", additionalProperties: true, description: "GeoJSON Feature (CBS 2025)" } as const;

const regionDetail = {
  type: "object",
  properties: {
    ...regionOutput.properties,
    boundary: geoFeature,
    municipalities: {
      type: "object",
      additionalProperties: true,
      description: "GeoJSON FeatureCollection; properties { code (GMxxxx), name }",
    },
  },
} as const;

const meldkamerBody = {
  type: "object",
  additionalProperties: false,
  required: ["meldkamerNumber"],
  properties: {
    meldkamerNumber: {
      type: ["string", "null"],
      pattern: "^\\+[1-9][0-9]{6,14}$",
      description: "E.164; null falls back to MELDKAMER_NUMBER",
    },
  },
} as const;

const present = (r: RegionRow) => ({ code: r.code, name: r.name, meldkamerNumber: r.meldkamer_number });

/** Police units: operators see their own, admins all; only admins set the meldkamer number. */
export function regionRoutes(db: Db) {
  return async function (app: FastifyInstance) {
    const tags = ["regions"];
    const security = [{ apiKey: [] }];

    app.get(
      "/v1/regions",
      {
        onRequest: requireRole(db, "operator"),
        schema: {
          tags,
          security,
          summary: "Police units you may see",
          response: { 200: { type: "array", items: regionOutput }, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        return (await q.list(db, p.role === "admin" ? null : p.region)).rows.map(present);
      },
    );

    app.get<{ Params: { code: string } }>(
      "/v1/regions/:code",
      {
        onRequest: requireRole(db, "operator"),
        schema: {
          tags,
          security,
          summary: "A police unit with its boundary and municipalities as GeoJSON",
          params: codeParams,
          response: { 200: regionDetail, ...errorResponses },
        },
      },
      async (req, reply) => {
        assertRegion(principalOf(req), req.params.code);
        const row = (await q.get(db, req.params.code)).rows[0];
        const boundary = unitBoundary(req.params.code);
        if (!row || !boundary) throw new Errors.NotFound(`Region ${req.params.code}`);
        reply.header("cache-control", "private, max-age=3600");
        return {
          ...present(row),
          boundary,
          municipalities: { type: "FeatureCollection", features: unitMunicipalities(row.code) },
        };
      },
    );

    app.put<{ Params: { code: string }; Body: { meldkamerNumber: string | null } }>(
      "/v1/regions/:code",
      {
        onRequest: requireRole(db, "admin"),
        schema: {
          tags,
          security,
          summary: "Set the meldkamer number of a police unit (admin)",
          params: codeParams,
          body: meldkamerBody,
          response: { 200: regionOutput, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        return db.withTransaction(async (tx) => {
          const before = (await q.get(tx, req.params.code, true)).rows[0];
          if (!before) throw new Errors.NotFound(`Region ${req.params.code}`);
          const after = (await q.setMeldkamer(tx, req.params.code, req.body.meldkamerNumber)).rows[0];
          await audit(tx, {
            actor: p.keyId,
            action: "region.meldkamer_set",
            subjectType: "region",
            subjectId: after.code,
            details: { from: before.meldkamer_number, to: after.meldkamer_number },
          });
          return present(after);
        });
      },
    );
  };
}
