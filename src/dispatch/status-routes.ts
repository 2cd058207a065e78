import type { FastifyBaseLogger } from "fastify";
import type { Db } from "../db/db.js";
import type { TwilioHandler, TwilioHandlers } from "../twilio/routes.js";
import { createCallbackBatcher } from "./callback-batch.js";
import type { CallbackKind } from "./callbacks.js";
import type { RetryPolicy } from "../deliveries/machine.js";

/**
 * Twilio's status callbacks for our calls and messages: recorded raw, then applied through the state machine, in
 * batches of those that arrive together (callback-batch.ts). The route, its query and the SID's match with the
 * delivery are checked by the Twilio scope (twilio/plugin.ts) before these run.
 */
export function statusCallbackHandlers(opts: {
  db: Db;
  retry: RetryPolicy;
  log: FastifyBaseLogger;
}): Pick<TwilioHandlers, "callStatus" | "smsStatus"> {
  const batcher = createCallbackBatcher({ db: opts.db, policy: opts.retry, log: opts.log });
  const handler =
    (kind: CallbackKind): TwilioHandler =>
    async (req, reply) => {
      // Answered once its batch has committed (group commit): the carrier never hears 204 for an unwritten change.
      await batcher.apply({
        kind,
        deliveryId: Number(req.query.delivery),
        attempt: Number(req.query.attempt),
        params: req.body,
      });
      return reply.code(204).send();
    };
  return { callStatus: handler("call-status"), smsStatus: handler("sms-status") };
}
