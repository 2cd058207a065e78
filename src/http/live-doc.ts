/**
 * GET /v1/live for the OpenAPI document: @fastify/websocket hides its routes, so the upgrade is described by hand.
 * The messages themselves are in docs/asyncapi.yaml (AsyncAPI 3.0), which `npm run lint:api` checks too.
 */
import { errorResponses } from "./error-docs.js";
import { REGION_CODE_PATTERN } from "../regions/code.js";

const errorJson = { "application/json": { schema: { $ref: "#/components/schemas/Error" } } };

export const LIVE_FEED = {
  "/v1/live": {
    get: {
      operationId: "openLiveFeed",
      tags: ["live"],
      summary: "WebSocket feed of the police unit's events: the webhook bodies, live, plus hello and heartbeat",
      description: [
        "An HTTP/1.1 upgrade to a WebSocket (RFC 6455). Operator keys (their own police unit) and admin keys (every",
        "unit, or `?region=`). Reads only; opening the feed is written to the audit log.",
        "\n\nAuthentication, either: `Authorization: Bearer <key>` (servers; no subprotocol needed), or, from a",
        "browser, which cannot set headers on a WebSocket, the subprotocols `burgernet.v1` **and** `bearer.<key>`",
        '(`new WebSocket(url, ["burgernet.v1", "bearer." + key])`). The server answers `burgernet.v1` only; offering',
        "`bearer.<key>` without `burgernet.v1` fails the handshake. A key in the query string is refused.",
        "\n\nMessages (JSON text frames, server to client; what the client sends is ignored):",
        '`{"type":"hello","region","heartbeatMs"}` first; then one `{"id","seq","type","timestamp","data"}` per',
        "event, the same body as the webhook of that type (`id` is its `webhook-id`, for deduplication);",
        '`{"type":"heartbeat","timestamp"}` every `heartbeatMs`. Reconnect with `?since=<last seq>` to receive what',
        "was missed (the last 24 h, at most 1,000 events). A client that does not read is disconnected once 1 MiB",
        "waits for it. Schemas of every message: docs/asyncapi.yaml.",
        "\n\nRefused before the upgrade: 403 for a key of another role or an operator asking for another unit's",
        "`region`; 429 when the key already holds LIVE_MAX_CONNECTIONS_PER_KEY sockets on this instance.",
      ].join(" "),
      security: [{ apiKey: [] }],
      parameters: [
        {
          name: "since",
          in: "query",
          required: false,
          description: "Replay the events after this seq first",
          schema: { type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
          example: 18342,
        },
        {
          name: "region",
          in: "query",
          required: false,
          description: "Admin keys only: one police unit instead of all",
          schema: { type: "string", pattern: REGION_CODE_PATTERN },
          example: "RE05",
        },
        {
          name: "Sec-WebSocket-Protocol",
          in: "header",
          required: false,
          description: "From browsers: `burgernet.v1, bearer.<key>` (both). Servers send `Authorization` instead.",
          schema: { type: "string" },
          example: "burgernet.v1, bearer.bn_ope_3f9c…",
        },
      ],
      responses: {
        101: {
          description: "Switching Protocols: the WebSocket is open; the first message is `hello`",
          headers: {
            Upgrade: { required: true, schema: { const: "websocket" } },
            "Sec-WebSocket-Protocol": {
              description: "`burgernet.v1` when the client offered subprotocols",
              schema: { const: "burgernet.v1" },
            },
          },
        },
        ...errorResponses(["BN_VALIDATION", "BN_UNAUTHORIZED", "BN_FORBIDDEN", "BN_RATE_LIMITED", "BN_INTERNAL"]),
        "4XX": { description: "Any other error, in the same shape", content: errorJson },
        "5XX": { description: "Failed (no details are shown)", content: errorJson },
      },
    },
  },
};
