import websocket from "@fastify/websocket";
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { bearerKey } from "../access/auth.js";
import { findPrincipal } from "../access/keys.js";
import { audit } from "../audit/audit.js";
import type { Db } from "../db/db.js";
import { Errors } from "../errors.js";
import { errorResponses } from "../http/schemas.js";
import { createHub, type LiveOptions } from "./hub.js";
import { REGION_CODE_PATTERN } from "../regions/code.js";

/** Browsers cannot set Authorization on a WebSocket: they offer `["burgernet.v1", "bearer.<key>"]` as subprotocols. */
export const LIVE_PROTOCOL = "burgernet.v1";
const BEARER_PROTOCOL = /^bearer\.(\S+)$/;

function keyFrom(req: FastifyRequest): string | null {
  const fromHeader = bearerKey(req.headers.authorization);
  if (fromHeader) return fromHeader;
  const offered = String(req.headers["sec-websocket-protocol"] ?? "")
    .split(",")
    .map((p) => p.trim());
  for (const p of offered) {
    const m = BEARER_PROTOCOL.exec(p);
    if (m) return m[1];
  }
  return null;
}

const liveQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    since: {
      type: "integer",
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER, // seq is a bigint; past this a JSON number no longer names one seq
      description: "Replay events after this seq (the last 24 h, at most 1,000)",
    },
    region: { type: "string", pattern: REGION_CODE_PATTERN, description: "Admins only: one region instead of all" },
  },
} as const;

/** GET /v1/live: the region's events as JSON messages over a WebSocket, plus a heartbeat. */
export const livePlugin = fp(
  async (app: FastifyInstance, opts: { db: Db; options?: LiveOptions }) => {
    await app.register(websocket, {
      options: {
        maxPayload: 4096, // clients have nothing to say to us
        // Select our protocol, never echo the one that carries the key.
        handleProtocols: (protocols) => (protocols.has(LIVE_PROTOCOL) ? LIVE_PROTOCOL : false),
      },
    });
    const hub = createHub({
      db: opts.db,
      log: app.log.child({ component: "live" }),
      events: app.pgEvents,
      options: opts.options,
    });
    app.decorate("liveHub", hub);
    app.addHook("preClose", async () => hub.close());

    app.get<{ Querystring: { since?: number; region?: string } }>(
      "/v1/live",
      {
        websocket: true,
        schema: {
          tags: ["live"],
          summary: "WebSocket feed of this region's events",
          description: [
            "Authentication: `Authorization: Bearer <key>` (servers), or for browsers, which cannot set headers on",
            'a WebSocket, the subprotocols `["burgernet.v1", "bearer.<key>"]`; the server answers with',
            "`burgernet.v1` only. Keys in the query string are refused (they end up in logs). Operators get their",
            "region; admins all, or `?region=`.",
            'Messages: `{type:"hello", region, heartbeatMs}` first, then `{id, seq, type, timestamp, data}` per event',
            '(id is the webhook-id, the same as in webhooks, for deduplication), and `{type:"heartbeat"}` every',
            "heartbeatMs.",
            "Reconnect with `?since=<last seq>` to receive what was missed (24 h, at most 1,000). A client that does",
            "not read is disconnected once 1 MiB is waiting for it.",
          ].join(" "),
          querystring: liveQuery,
          response: errorResponses,
        },
        preValidation: async (req) => {
          const key = keyFrom(req);
          const principal = key ? await findPrincipal(opts.db, key) : null;
          if (!principal) throw new Errors.Unauthorized();
          if (principal.role !== "admin" && principal.role !== "operator")
            throw new Errors.Forbidden(`This API key (role ${principal.role}) may not do this`);
          if (principal.role !== "admin" && req.query.region && req.query.region !== principal.region) {
            throw new Errors.Forbidden(`This API key is for region ${principal.region}`);
          }
          if (hub.connectionsOf(principal.keyId) >= hub.maxConnectionsPerKey)
            throw new Errors.TooManyRequests(
              `This API key already holds ${hub.maxConnectionsPerKey} live connections (LIVE_MAX_CONNECTIONS_PER_KEY)`,
            );
          req.principal = principal;
        },
      },
      async (socket, req) => {
        const p = req.principal!;
        const region = p.role === "admin" ? (req.query.region ?? null) : p.region;
        socket.on("message", () => {}); // ignored; pings are answered by ws itself
        // Counted at once, before any await: the client already sees the socket open, and its next connection
        // must find this one in the per-key count.
        // add() never rejects: a failed catch-up closes this socket, never the process.
        const added = hub.add(socket, region, req.query.since, p.keyId);
        // The feed carries tips: who started reading which region's, and when, is kept like every other read.
        try {
          await audit(opts.db, {
            actor: p.keyId,
            action: "live.connected",
            subjectType: "region",
            subjectId: region ?? "all",
            details: req.query.since === undefined ? {} : { since: req.query.since },
          });
        } catch (err) {
          // Reading without a trace is not allowed: no audit row, no feed.
          req.log.error({ err }, "live feed: the connection could not be audited");
          socket.close(1011, "internal error");
        }
        await added;
      },
    );
  },
  { name: "burgernet-live", fastify: "5.x", dependencies: ["burgernet-pg-listener"] },
);

declare module "fastify" {
  interface FastifyInstance {
    liveHub: ReturnType<typeof createHub>;
  }
}
