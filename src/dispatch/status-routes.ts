import type { FastifyInstance } from "fastify";
import type { Db } from "../db/db.js";
import { twilioPath } from "../twilio/routes.js";
import { verifyTwilioSignature } from "../twilio/webhook-auth.js";
import { applyCallback } from "./callbacks.js";
import type { RetryPolicy } from "./states.js";

const statusQuery = {
  type: "object",
  required: ["delivery", "attempt"],
  properties: { delivery: { type: "integer", minimum: 1 }, attempt: { type: "integer", minimum: 1 } },
} as const;

/** Twilio's status callbacks for our calls and messages: recorded raw, then applied through the state machine. */
export function statusCallbackRoutes(opts: { db: Db; publicUrl: string; authToken: () => string; retry: RetryPolicy }) {
  return async function (app: FastifyInstance) {
    app.addHook("preHandler", verifyTwilioSignature({ publicUrl: opts.publicUrl, authToken: opts.authToken }));
    const schema = { hide: true, querystring: statusQuery };

    for (const [path, kind] of [
      [twilioPath("callStatus"), "call-status"],
      [twilioPath("smsStatus"), "sms-status"],
    ] as const) {
      app.post<{ Querystring: { delivery: number; attempt: number }; Body: Record<string, string> }>(
        path,
        { schema },
        async (req, reply) => {
          await opts.db.withTransaction((tx) =>
            applyCallback(tx, kind, req.query.delivery, req.query.attempt, req.body ?? {}, opts.retry),
          );
          return reply.code(204).send();
        },
      );
    }
  };
}
