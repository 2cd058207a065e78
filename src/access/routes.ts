import type { FastifyInstance } from "fastify";
import type { Db, Queryable } from "../db/db.js";
import { audit } from "../audit/audit.js";
import { Errors } from "../errors.js";
import { errorResponses } from "../http/schemas.js";
import { principalOf, requireRole } from "./auth.js";
import { revokeApiKey } from "./keys.js";

const keyParams = {
  type: "object",
  required: ["id"],
  properties: { id: { type: "string", format: "uuid" } },
} as const;

/** What else a revocation does, in its transaction (the webhooks the key answered for are disabled). */
export type OnRevoke = (tx: Queryable, keyId: string, actor: string, at: Date) => Promise<unknown>;

/**
 * Admin only: DELETE /v1/keys/{id} revokes a key at once; its live-feed sockets close (here now, elsewhere at the
 * next heartbeat).
 */
export function keyRoutes(
  db: Db,
  deps: { clock: () => Date; closeLiveSockets: (keyId: string) => void; onRevoke?: OnRevoke },
) {
  return async function (app: FastifyInstance) {
    app.addHook("onRequest", requireRole(db, "admin"));
    app.delete<{ Params: { id: string } }>(
      "/v1/keys/:id",
      {
        schema: {
          tags: ["keys"],
          security: [{ apiKey: [] }],
          summary: "Revoke an API key (admin)",
          params: keyParams,
          response: { 204: { type: "null" }, ...errorResponses },
        },
      },
      async (req, reply) => {
        const at = deps.clock();
        const revoked = await db.withTransaction(async (tx) => {
          if (!(await revokeApiKey(tx, req.params.id, at))) return false;
          const actor = principalOf(req).keyId;
          await audit(tx, {
            actor,
            action: "api_key.revoked",
            subjectType: "api_key",
            subjectId: req.params.id,
            at,
          });
          await deps.onRevoke?.(tx, req.params.id, actor, at);
          return true;
        });
        if (!revoked) throw new Errors.NotFound("API key");
        deps.closeLiveSockets(req.params.id);
        return reply.code(204).send();
      },
    );
  };
}
