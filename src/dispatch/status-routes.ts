import type { FastifyInstance } from "fastify";
import type { Db } from "../db/db.js";
import { twilioPath } from "../twilio/routes.js";
import { verifyTwilioSignature } from "../twilio/webhook-auth.js";
import { createCallbackBatcher } from "./callback-batch.js";
import type { RetryPolicy } from "./states.js";

const statusQuery = {
  type: "object",
  required: ["delivery", "attempt"],
  properties: { delivery: { type: "integer", minimum: 1 }, attempt: { type: "integer", minimum: 1 } },
} as const;

/**
 * Twilio's status callbacks for our calls and messages: recorded raw, then applied through the state machine, in
 * batches of those that arrive together (callback-batch.ts).
 */
export function statusCallbackRoutes(opts: { db: Db; publicUrl: string; authToken: () => string; retry: RetryPolicy }) {
  return async function (app: FastifyInstance) {
    app.addHook("preHandler", verifyTwilioSignature({ publicUrl: opts.publicUrl, authToken: opts.authToken }));
    const batcher = createCallbackBatcher({ db: opts.db, policy: opts.retry, log: app.log });
    const schema = { hide: true, querystring: statusQuery };

    for (const [path, kind] of [
      [twilioPath("callStatus"), "call-status"],
      [twilioPath("smsStatus"), "sms-status"],
    ] as const) {
      app.post<{ Querystring: { delivery: number; attempt: number }; Body: Record<string, string> }>(
        path,
        { schema },
        async (req, reply) => {
          // Answered once its batch has committed (group commit): the carrier never hears 204 for an unwritten change.
          await batcher.apply({
            kind,
            deliveryId: req.query.delivery,
            attempt: req.query.attempt,
            params: req.body ?? {},
          });
          return reply.code(204).send();
        },
      );
    }
  };
}
