import { LogController, type FastifyReply, type FastifyRequest } from "fastify";

/**
 * One line per request at most (DESIGN §6, logs). Fastify's own two lines per request (incoming, completed) are
 * 16,000 lines a second at the 8,000 TwiML requests a second an alert can bring: an operator ships and stores them
 * all. So the routes Twilio calls during an alert, and those a load balancer or Prometheus polls, write nothing at
 * info unless they were slow or failed; every other request writes one line when it is answered.
 */
const QUIET_ROUTE = /^\/(twilio\/|healthz$|readyz$|metrics|p\/)/;

/** The path as logged: a photo link's token (src/photos, a secret of one citizen's SMS) is never written. */
const pathForLog = (url: string) => url.split("?")[0].replace(/^\/p\/[^/]+/, "/p/•••");

export type RequestLogLevel = "error" | "warn" | "info" | "debug";

export function requestLogLevel(a: { route?: string; status: number; ms: number; slowMs: number; errored: boolean }) {
  if (a.errored || a.status >= 500) return "error";
  const quiet = a.route !== undefined && QUIET_ROUTE.test(a.route);
  if (a.ms >= a.slowMs || (quiet && a.status >= 400)) return "warn";
  return quiet ? "debug" : "info";
}

/** What a handler or the error handler adds to its request's line (error code, the error of a 5xx). */
const extra = new WeakMap<FastifyRequest, Record<string, unknown>>();

export function annotateRequestLog(req: FastifyRequest, fields: Record<string, unknown>) {
  extra.set(req, { ...extra.get(req), ...fields });
}

/** API routes by their first path segment: what their `:id` names. */
const ID_FIELD: Record<string, string> = {
  alerts: "alertId",
  participants: "participantId",
  sightings: "sightingId",
  webhooks: "webhookId",
  keys: "keyId",
};

const round = (ms: number) => Math.round(ms * 10) / 10;
const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
const integer = (v: unknown) =>
  typeof v === "number" || (typeof v === "string" && /^\d{1,15}$/.test(v)) ? Number(v) : undefined;

/**
 * What an operator follows one alert or one call by: the delivery, alert and attempt of our query strings, the
 * carrier's call or message SID and status; on the API the resource's id. Never a number or a query string.
 */
function identifiers(req: FastifyRequest, route: string | undefined): Record<string, unknown> {
  if (route?.startsWith("/twilio/")) {
    const q = (req.query ?? {}) as Record<string, unknown>;
    const b = (req.body ?? {}) as Record<string, unknown>;
    return {
      deliveryId: integer(q.delivery),
      alertId: text(q.alert),
      attempt: integer(q.attempt),
      callSid: text(b.CallSid),
      messageSid: text(b.MessageSid),
      carrierStatus: text(b.CallStatus) ?? text(b.MessageStatus),
      carrierError: text(b.ErrorCode),
    };
  }
  const id = text((req.params as Record<string, unknown> | undefined)?.id);
  const field = route ? ID_FIELD[route.split("/")[2] ?? ""] : undefined;
  return id && field ? { [field]: id } : {};
}

export class RequestLog extends LogController {
  constructor(private readonly slowMs: number) {
    super();
  }

  /**
   * No line when a request arrives; but one whose client hangs up before it is answered (Twilio gives up on TwiML
   * after 15 s) would otherwise leave none at all: that one is written at warn, as aborted.
   */
  override incomingRequest(req: FastifyRequest, reply: FastifyReply) {
    reply.raw.once("close", () => {
      if (reply.sent) return; // answered (requestCompleted writes its line) or taken over (a WebSocket)
      const route = req.routeOptions.url;
      reply.log.warn(
        {
          method: req.method,
          route: route ?? null,
          url: pathForLog(req.url),
          aborted: true,
          durationMs: round(reply.elapsedTime),
          ...identifiers(req, route),
        },
        "request aborted by the client",
      );
    });
  }

  override routeNotFound() {}

  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply) {
    const route = req.routeOptions.url;
    const ms = reply.elapsedTime;
    const level = requestLogLevel({ route, status: reply.statusCode, ms, slowMs: this.slowMs, errored: !!error });
    // Pino's check: the debug lines of the hot routes are not even built at LOG_LEVEL=info.
    const log = reply.log as typeof reply.log & { isLevelEnabled?: (level: string) => boolean };
    if (log.isLevelEnabled && !log.isLevelEnabled(level)) return;
    const line = {
      method: req.method,
      route: route ?? null,
      // The path as asked, never its query string (a key, a cursor or a number may be there), as log.ts's req.
      url: pathForLog(req.url),
      status: reply.statusCode,
      durationMs: round(ms),
      ...identifiers(req, route),
      ...extra.get(req),
      ...(error ? { err: error } : {}),
    };
    reply.log[level](line, "request");
  }
}
