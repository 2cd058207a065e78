import { STATUS_CODES } from "node:http";
import createError from "@fastify/error";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { annotateRequestLog } from "./http/request-log.js";
import { databaseUnavailable } from "./db/unavailable.js";

/**
 * The one error catalogue. Every error a client can see has a stable code; the handler below turns
 * each into `{ error: { code, message, details? } }`.
 */
export const Errors = {
  Validation: createError<[string]>("BN_VALIDATION", "%s", 400),
  Unauthorized: createError("BN_UNAUTHORIZED", "A valid API key is required (Authorization: Bearer …)", 401),
  Forbidden: createError<[string]>("BN_FORBIDDEN", "%s", 403),
  TwilioSignature: createError("BN_TWILIO_SIGNATURE", "Invalid X-Twilio-Signature", 403),
  NotFound: createError<[string]>("BN_NOT_FOUND", "%s not found", 404),
  ParticipantNotFound: createError("BN_PARTICIPANT_NOT_FOUND", "Participant not found", 404),
  AlertNotFound: createError("BN_ALERT_NOT_FOUND", "Alert not found", 404),
  Conflict: createError<[string]>("BN_CONFLICT", "%s", 409),
  InvalidPhone: createError<[string]>("BN_INVALID_PHONE", "%s", 422),
  UnknownPostcode: createError<[string]>("BN_UNKNOWN_POSTCODE", "Postcode %s does not exist", 422),
  OutsideNetherlands: createError<[string]>("BN_OUTSIDE_NETHERLANDS", "%s lies outside the Netherlands", 422),
  InvalidArea: createError<[string]>("BN_INVALID_AREA", "%s", 422),
  AreaOutsideRegion: createError<[string]>("BN_AREA_OUTSIDE_REGION", "%s", 403),
  ReachCapExceeded: createError<[string]>("BN_REACH_CAP_EXCEEDED", "%s", 403),
  BudgetExceeded: createError<[string]>("BN_BUDGET_EXCEEDED", "%s", 403),
  ImageRejected: createError<[string]>("BN_IMAGE_REJECTED", "%s", 422),
  UnsupportedMediaType: createError<[string]>("BN_UNSUPPORTED_MEDIA_TYPE", "%s", 415),
  AreaNotLarger: createError<[string]>("BN_AREA_NOT_LARGER", "%s", 422),
  PhoneNotAllowed: createError<[string]>("BN_PHONE_NOT_ALLOWED", "%s", 422),
  VerificationFailed: createError<[string]>("BN_VERIFICATION_FAILED", "%s", 422),
  TooManyRequests: createError<[string]>("BN_RATE_LIMITED", "%s", 429),
  /** The carrier refused or lost an SMS the operator asked to send now (e.g. a conversation reply). */
  CarrierRefused: createError<[string]>("BN_CARRIER_REFUSED", "%s", 502),
  /** The carrier is down, busy or refuses our account for now: nothing was sent, try again shortly. */
  CarrierUnavailable: createError<[string]>("BN_CARRIER_UNAVAILABLE", "%s", 503),
  Internal: createError("BN_INTERNAL", "Internal server error", 500),
  Unavailable: createError("BN_UNAVAILABLE", "The database is unavailable for a moment: try again shortly", 503),
};

/** Seconds a client (Twilio, an operator's system) is asked to wait before trying again while the database is away. */
export const RETRY_AFTER_SECONDS = 5;

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Server-side errors of the catalogue whose message is written for the client (the others say only "internal"). */
const PUBLIC_5XX = new Set(["BN_CARRIER_REFUSED", "BN_CARRIER_UNAVAILABLE"]);

/** Errors raised by fastify itself (body parsing, schema validation, size limits) mapped to our codes. */
function classify(err: FastifyError): { status: number; body: ErrorBody } {
  if (err.validation) {
    const details = err.validation.map((v) => ({
      path: `${err.validationContext ?? "body"}${v.instancePath}`,
      message: v.message,
      ...(v.keyword === "additionalProperties"
        ? { field: (v.params as { additionalProperty: string }).additionalProperty }
        : {}),
    }));
    return { status: 400, body: errorBody("BN_VALIDATION", "The request does not match the schema", details) };
  }
  const status = err.statusCode ?? 500;
  if (status >= 500 && !PUBLIC_5XX.has(err.code))
    return { status, body: errorBody("BN_INTERNAL", "Internal server error") };
  const code = err.code?.startsWith("BN_") ? err.code : fastifyCode(err.code, status);
  const details = (err as FastifyError & { details?: unknown }).details;
  return { status, body: errorBody(code, err.message, details) };
}

function fastifyCode(code: string | undefined, status: number): string {
  switch (code) {
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return "BN_UNSUPPORTED_MEDIA_TYPE";
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return "BN_BODY_TOO_LARGE";
    case "FST_ERR_MAX_PARAM_LENGTH":
      return "BN_URI_TOO_LONG";
    case "FST_ERR_BAD_URL":
      return "BN_BAD_URL";
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return "BN_MALFORMED_BODY";
    default:
      if (status === 400 && code?.startsWith("FST_ERR_CTP")) return "BN_MALFORMED_BODY";
      if (status === 400) return "BN_BAD_REQUEST";
      if (status === 404) return "BN_NOT_FOUND";
      if (status === 429) return "BN_RATE_LIMITED";
      return `BN_HTTP_${status}`;
  }
}

/** Attach structured details (e.g. which field) to a catalogue error. */
export function withDetails<E extends Error>(err: E, details: unknown): E {
  (err as E & { details?: unknown }).details = details;
  return err;
}

/**
 * PostgreSQL refusing a value: out of range (22003, 22008), not a number, time or UUID (22P02, 22007), not text
 * (22021, 22P05), too long (22001), too deeply nested (54001). The schemas bound every value first; this is the
 * safety net for one they missed. Its message and detail quote the value: neither is logged nor answered.
 */
const PG_BAD_VALUE = new Set(["22001", "22003", "22007", "22008", "22021", "22P02", "22P05", "54001"]);

function pgBadValue(err: unknown): string | null {
  const e = err as { code?: unknown; severity?: unknown };
  return typeof e.severity === "string" && typeof e.code === "string" && PG_BAD_VALUE.has(e.code) ? e.code : null;
}

/**
 * Errors of fastify's router (a path that does not decode, a parameter past maxParamLength) never reach the error
 * handler: Fastify's `frameworkErrors` option sends them here, in the one shape, without echoing the URL.
 */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const { status, body } = classify(err);
  annotateRequestLog(req, { code: body.error.code });
  reply.code(status).send(errorBody(body.error.code, status === 414 ? "The URL is too long" : "The URL is not valid"));
}

export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const pgCode = pgBadValue(err);
    if (pgCode) {
      req.log.warn({ pgCode, route: req.routeOptions.url }, "the database refused a value the schemas let through");
      annotateRequestLog(req, { code: "BN_VALIDATION", pgCode });
      return reply.code(400).send(errorBody("BN_VALIDATION", "A value is out of range or not valid"));
    }
    if (databaseUnavailable(err)) {
      // Nothing was written and nothing is acknowledged: the client (Twilio for its callbacks) sends it again.
      annotateRequestLog(req, { code: "BN_UNAVAILABLE" });
      const e = new Errors.Unavailable();
      return reply.code(503).header("retry-after", String(RETRY_AFTER_SECONDS)).send(errorBody(e.code, e.message));
    }
    const { status, body } = classify(err);
    // Written on the request's one line (src/http/request-log.ts), with the error itself for a 5xx.
    annotateRequestLog(req, status >= 500 ? { code: body.error.code, err } : { code: body.error.code });
    reply.code(status).send(body);
  });
  // A plugin that answers a bare status (e.g. @fastify/websocket's 404 for a plain GET on a WebSocket route) still
  // answers in the one shape.
  app.addHook("onSend", async (_req, reply, payload) => {
    if (reply.statusCode < 400 || (payload !== undefined && payload !== null && payload !== "")) return payload;
    reply.type("application/json; charset=utf-8");
    const status = reply.statusCode;
    const code = status >= 500 ? "BN_INTERNAL" : fastifyCode(undefined, status);
    return JSON.stringify(errorBody(code, STATUS_CODES[status] ?? "Error"));
  });
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(errorBody("BN_NOT_FOUND", `Route ${req.method} ${req.url.split("?")[0]} not found`));
  });
}
