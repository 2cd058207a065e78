import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import { sendError } from "./rest-errors.ts";

export interface GuardOptions {
  accountSid: string;
  authToken: string;
  /** REST requests allowed in flight at once; beyond it Twilio answers 429 / 20429. */
  concurrency: number;
  /** Real-time latency added to every REST request, so that requests overlap as they do against Twilio. */
  latencyMs: number;
}

const API_PREFIX = "/2010-04-01/";
/** The Pricing API (pricing.twilio.com/v1): the same credentials, no account in its paths. */
const PRICING_PREFIX = "/v1/";

/** Basic auth with the account SID and auth token, then the account's REST concurrency limit. */
export function installGuard(
  app: FastifyInstance,
  opts: GuardOptions,
): { readonly inFlight: number; readonly maxInFlight: number } {
  const expected = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString("base64")}`;
  const accountPrefix = `${API_PREFIX}Accounts/${opts.accountSid}/`;
  let inFlight = 0;
  let maxInFlight = 0;

  app.addHook("onRequest", async (req, reply) => {
    const pricing = req.url.startsWith(PRICING_PREFIX);
    if (!req.url.startsWith(API_PREFIX) && !pricing) return;
    if (req.headers.authorization !== expected) {
      reply.header("www-authenticate", 'Basic realm="Twilio API"');
      return sendError(reply, 401, 20003, "Authenticate");
    }
    if (!pricing && !req.url.startsWith(accountPrefix)) {
      return sendError(reply, 404, 20404, `The requested resource ${req.url.split("?")[0]} was not found`);
    }
    if (inFlight >= opts.concurrency) {
      return sendError(reply, 429, 20429, "Too Many Requests");
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    reply.raw.once("close", () => inFlight--);
    if (opts.latencyMs > 0) await sleep(opts.latencyMs);
  });

  return {
    get inFlight() {
      return inFlight;
    },
    /** The most requests in flight at once since the start: what a client let pile up. */
    get maxInFlight() {
      return maxInFlight;
    },
  };
}
