import type { FastifyInstance } from "fastify";
import type { Db } from "../db/db.js";
import type { Carrier } from "./carrier.js";
import { createDeliverySidCheck } from "./delivery-sid.js";
import { TWILIO_ROUTES, type TwilioHandlers, type TwilioRoute, type TwilioRouteName } from "./routes.js";
import { installFormParser, verifyTwilioRequest } from "./webhook-auth.js";

export interface TwilioWebhookOptions {
  publicUrl: string;
  accountSid: string;
  authToken: () => string;
  db: Db;
  carrier: Pick<Carrier, "from" | "fetchCall" | "fetchMessage">;
  /** One handler per route of the table (ivr/routes.ts, dispatch/status-routes.ts). */
  handlers: (app: FastifyInstance) => TwilioHandlers;
  /** How long a request waits for a delivery's SID while its request to the carrier is in flight. */
  sidWaitMs?: number;
}

/**
 * Every route Twilio calls, in one encapsulated scope: registered from the route table (routes.ts), behind one
 * check installed once, so a Twilio route cannot exist without it. The scope parses form bodies only (anything else
 * is 415), and the check refuses (403, before anything is read or written) a bad signature, a parameter Twilio does
 * not send to that route, another account, a missing SID, and a delivery named without its own SID.
 */
export function twilioWebhooks(opts: TwilioWebhookOptions) {
  return async function twilioScope(app: FastifyInstance) {
    app.removeAllContentTypeParsers();
    installFormParser(app);
    const byPath = new Map<string, TwilioRoute>(Object.values(TWILIO_ROUTES).map((r) => [r.path, r]));
    const isDeliverySid = createDeliverySidCheck({
      db: opts.db,
      carrier: opts.carrier,
      log: app.log,
      sidWaitMs: opts.sidWaitMs,
    });
    app.addHook(
      "preValidation",
      verifyTwilioRequest({
        publicUrl: opts.publicUrl,
        accountSid: opts.accountSid,
        authToken: opts.authToken,
        routeOf: (path) => byPath.get(path),
        isDeliverySid,
      }),
    );
    const handlers = opts.handlers(app);
    for (const [name, route] of Object.entries(TWILIO_ROUTES) as [TwilioRouteName, TwilioRoute][]) {
      app.post(route.path, { schema: route.hidden ? { hide: true } : {} }, handlers[name]);
    }
  };
}
