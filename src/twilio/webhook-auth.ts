import type { FastifyInstance, FastifyRequest, preValidationHookHandler } from "fastify";
import twilio from "twilio";
import { Errors } from "../errors.js";
import { annotateRequestLog } from "../http/request-log.js";
import { VALUE_FORMAT } from "./params.js";
import type { TwilioRoute } from "./routes.js";

/**
 * Twilio posts application/x-www-form-urlencoded, each name once; every parameter is kept exactly as posted. A
 * name that comes twice is refused: the signature is computed over one value per name, so a second one is never
 * Twilio's.
 */
export function installFormParser(app: FastifyInstance) {
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string", bodyLimit: 64 * 1024 },
    (_req, body, done) => {
      const params: Record<string, string> = Object.create(null);
      for (const [k, v] of new URLSearchParams(body as string)) {
        if (k in params) return done(new Errors.TwilioSignature(), undefined);
        params[k] = v;
      }
      done(null, params);
    },
  );
}

/** The URL Twilio signed: our public URL (not the Host we were reached on, which a proxy rewrites) + path + query. */
export function signedUrl(publicUrl: string, req: FastifyRequest): string {
  return publicUrl.replace(/\/$/, "") + req.url;
}

const QUERY_VALUE: Record<string, RegExp> = {
  delivery: /^[1-9][0-9]{0,14}$/,
  attempt: /^[1-9][0-9]{0,3}$/,
  try: /^[1-9][0-9]{0,3}$/,
  alert: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  general: /^1$/,
  parent: /^CA[0-9a-f]{32}$/,
};

/**
 * Why a signed request is still not one Twilio sent to this route, or null. The signature runs names and values
 * together, so a captured request can be reshaped (a character moved from a value to its name, from the URL to the
 * first name, a parameter run into the one before it) without breaking it: only the names Twilio documents for the
 * route are taken, each once, in Twilio's own formats (params.ts); its SID is required and the account is ours.
 */
export function shapeProblem(
  route: TwilioRoute,
  query: Record<string, unknown>,
  params: Record<string, string>,
  accountSid: string,
): string | null {
  for (const [k, v] of Object.entries(query)) {
    const pattern = QUERY_VALUE[k];
    if (!route.query.includes(k) || !pattern || typeof v !== "string" || !pattern.test(v)) return `query ${k}`;
  }
  const allowed = new Set(route.params);
  for (const name of Object.keys(params)) if (!allowed.has(name)) return "an unknown parameter";
  if (params.AccountSid !== accountSid) return "another account";
  if (params[route.sid] === undefined) return `no ${route.sid}`;
  for (const [name, value] of Object.entries(params)) {
    if (VALUE_FORMAT[name] && !VALUE_FORMAT[name].test(value)) return `a malformed ${name}`;
  }
  // A parameter run into the one before it (its name and value appended to that value) leaves only known names:
  // what shows it is a later name, absent from the request, inside a value.
  const absent = route.params.filter((n) => params[n] === undefined);
  for (const [name, value] of Object.entries(params)) {
    if (absent.some((n) => n > name && value.includes(n))) return "a parameter inside another";
  }
  if (route.deliverySid && query.parent !== undefined && query.parent !== params[route.deliverySid])
    return "another parent call";
  return null;
}

export interface TwilioCheckOptions {
  publicUrl: string;
  accountSid: string;
  authToken: () => string;
  /** The route of a path, from the table. */
  routeOf: (path: string) => TwilioRoute | undefined;
  /** Does the delivery the query names belong to this SID (delivery-sid.ts)? */
  isDeliverySid: (deliveryId: number, channel: "voice" | "sms", sid: string) => Promise<boolean>;
}

/**
 * Rejects (403, nothing written) any request whose X-Twilio-Signature does not match, whose shape is not what
 * Twilio sends to that route, or that names a delivery without carrying that delivery's own SID. The SDK's
 * validator is tolerant of an explicit port as Twilio is, but not of http vs https or a lost query string.
 */
export function verifyTwilioRequest(opts: TwilioCheckOptions): preValidationHookHandler {
  return async (req) => {
    const route = opts.routeOf(req.routeOptions.url ?? "");
    const signature = req.headers["x-twilio-signature"];
    const params = (req.body as Record<string, string> | undefined) ?? {};
    const query = req.query as Record<string, unknown>;
    let problem: string | null = null;
    if (!route) problem = "no such route";
    else if (
      typeof signature !== "string" ||
      !twilio.validateRequest(opts.authToken(), signature, signedUrl(opts.publicUrl, req), params)
    )
      problem = "a bad signature";
    else problem = shapeProblem(route, query, params, opts.accountSid);
    if (!problem && route && typeof query.delivery === "string") {
      const sid = params[route.deliverySid ?? route.sid];
      const channel = route.sid === "CallSid" ? "voice" : "sms";
      if (!sid || !(await opts.isDeliverySid(Number(query.delivery), channel, sid)))
        problem = "not the SID of the delivery it names";
    }
    if (problem) {
      // On the request's one line, at warn: BN_TWILIO_SIGNATURE, why, the route, the delivery and the call.
      annotateRequestLog(req, { problem });
      throw new Errors.TwilioSignature();
    }
  };
}
