import type { FastifyInstance } from "fastify";
import { principalOf, requireRole } from "../access/auth.js";
import type { Db } from "../db/db.js";
import { Errors } from "../errors.js";
import { alertIdParams } from "../alerts/schemas.js";
import { errorResponses } from "../http/schemas.js";
import { MAX_PHOTO_BYTES, PHOTO_MEDIA_TYPES } from "./image.js";
import { gonePage, livePage, missingPage, PHOTO_PAGE_HEADERS } from "./page.js";
import type { Photos } from "./service.js";

export const photoOutput = {
  type: "object",
  properties: {
    alertId: { type: "string" },
    contentType: { type: "string", description: "Always image/jpeg: every photo is re-encoded" },
    width: { type: "integer" },
    height: { type: "integer" },
    bytes: { type: "integer", description: "Size as stored and served" },
  },
} as const;

/** PUT /v1/alerts/{id}/photo for operators: the raw image as the body. */
export function photoRoutes(photos: Photos, db: Db) {
  return async function (app: FastifyInstance) {
    app.addHook("onRequest", requireRole(db, "operator"));
    // Only in this scope: the rest of the API keeps its JSON body limit of 256 kB.
    app.addContentTypeParser([...PHOTO_MEDIA_TYPES], { parseAs: "buffer", bodyLimit: MAX_PHOTO_BYTES }, (_r, b, done) =>
      done(null, b),
    );
    app.put<{ Params: { id: string }; Body: Buffer }>(
      "/v1/alerts/:id/photo",
      {
        bodyLimit: MAX_PHOTO_BYTES,
        schema: {
          tags: ["alerts"],
          security: [{ apiKey: [] }],
          summary: "Attach a photo (JPEG or PNG, at most 5 MB) that alert SMS link to",
          params: alertIdParams,
          response: { 200: photoOutput, ...errorResponses },
        },
      },
      async (req) => {
        // Other media types the service parses (JSON, forms) reach here parsed: refused as fastify refuses the rest.
        if (!Buffer.isBuffer(req.body))
          throw new Errors.UnsupportedMediaType("Send the photo as image/jpeg or image/png");
        return photos.attach(req.params.id, principalOf(req), req.body);
      },
    );
  };
}

const tokenParams = {
  type: "object",
  required: ["token"],
  properties: { token: { type: "string" } },
} as const;

/** GET /p/{token}: the citizen's page behind the SMS link. Public (the token is the key), not in the API document. */
export function photoPageRoutes(photos: Photos) {
  return async function (app: FastifyInstance) {
    app.addHook("onSend", async (_req, reply) => {
      reply.headers(PHOTO_PAGE_HEADERS);
    });
    const html = "text/html; charset=utf-8";
    app.get<{ Params: { token: string } }>(
      "/p/:token",
      { schema: { hide: true, params: tokenParams } },
      async (req, reply) => {
        // Fastify answers HEAD with this route too: a link preview's HEAD is not an opening.
        const p = await photos.page(req.params.token, req.method === "GET");
        if (p.kind === "missing") return reply.code(404).type(html).send(missingPage());
        if (p.kind === "gone") return reply.code(410).type(html).send(gonePage());
        return reply.type(html).send(livePage(req.params.token, p.language, p.text));
      },
    );
    app.get<{ Params: { token: string } }>(
      "/p/:token/photo",
      { schema: { hide: true, params: tokenParams } },
      async (req, reply) => {
        const p = await photos.image(req.params.token);
        if (p.kind === "missing") return reply.code(404).type(html).send(missingPage());
        if (p.kind === "gone") return reply.code(410).type(html).send(gonePage());
        return reply.type(p.contentType).send(p.image);
      },
    );
  };
}
