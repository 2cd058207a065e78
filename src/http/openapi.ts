import type { FastifyInstance, FastifySchema } from "fastify";
import swagger from "@fastify/swagger";
import { CSV_REPORT, EXAMPLES, NON_JSON_2XX, REQUEST_BODIES } from "./doc-extras.js";
import { LIVE_FEED } from "./live-doc.js";
import { finishDocument } from "./document.js";
import { OPERATIONS, TAGS, tagOf } from "./operations.js";
import { errorSchema } from "./schemas.js";
import { webhookDocs } from "./webhook-events.js";

declare module "fastify" {
  interface FastifyInstance {
    /** Every route registered, as the document names it (test/http/openapi.test.ts holds the two together). */
    openApiRoutes: { method: string; path: string; hidden: boolean }[];
  }
}

const openApiPath = (url: string) => url.replace(/:(\w+)/g, "{$1}");
/** Twilio's webhooks are for the carrier alone: not in the operator-facing document or its client (docs/twilio.md). */
const forTheCarrier = (path: string) => path.startsWith("/twilio/");

/**
 * OpenAPI 3.1 generated from the route schemas: /openapi.json, browsable at /docs (DOCS_PUBLIC). Operation ids and
 * tags come from one table (operations.ts) keyed by method and path, so the routes files carry only their schemas;
 * every operation documents the one error shape for 4xx and 5xx.
 */
export async function installOpenApi(app: FastifyInstance, { docs = false, publicUrl = "http://127.0.0.1:3000" } = {}) {
  app.addSchema({ $id: "Error", ...errorSchema });
  const routes: FastifyInstance["openApiRoutes"] = [];
  app.decorate("openApiRoutes", routes);
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) {
      if (method === "HEAD") continue;
      // @fastify/websocket hides its routes after this hook has run; /v1/live is added to the document below.
      const hidden =
        (Boolean((route.schema as { hide?: boolean })?.hide) && !route.websocket) || forTheCarrier(route.url);
      routes.push({ method, path: openApiPath(route.url), hidden });
    }
  });
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "burgernet-voice",
        version: "0.1.0",
        description:
          "Burgernet mass alerts by voice and SMS. Every /v1 route takes `Authorization: Bearer <api key>`; " +
          "errors have " +
          'one shape, `{ "error": { "code": "BN_…", "message": "…", "details"?: … } }`.',
        license: { name: "EUPL-1.2", identifier: "EUPL-1.2" },
      },
      tags: TAGS,
      components: {
        securitySchemes: {
          apiKey: { type: "http", scheme: "bearer", description: "An API key: `npm run key:create`" },
          webhookSignature: {
            type: "apiKey",
            in: "header",
            name: "webhook-signature",
            description:
              "On the webhooks this service sends: Standard Webhooks, HMAC-SHA256 with the subscription's secret " +
              "over `webhook-id.webhook-timestamp.body` (docs/integration.md shows Node and Python receivers)",
          },
        },
      },
      webhooks: webhookDocs() as never, // plain JSON; openapi-types wants literal "header" and friends
    },
    refResolver: {
      buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === "string" ? json.$id : `def-${i}`),
    },
    transformObject: (documentObject) => {
      const doc = (documentObject as { openapiObject: { paths?: object } }).openapiObject;
      const live = routes.some((r) => r.path === "/v1/live") ? LIVE_FEED : {};
      return finishDocument({ ...doc, paths: { ...doc.paths, ...live } }, { publicUrl });
    },
    transform: ({ schema, url, route }) => {
      const method = [route.method].flat().find((m) => m !== "HEAD") ?? "GET";
      const path = openApiPath(url);
      const s = (schema ?? {}) as FastifySchema & { operationId?: string; tags?: string[]; hide?: boolean };
      if (s.hide || forTheCarrier(path)) return { schema: { ...s, hide: true }, url };
      const operationId = OPERATIONS[`${method} ${path}`] ?? s.operationId ?? "";
      const response = { ...(s.response as Record<string, unknown>) };
      Object.assign(response, NON_JSON_2XX[operationId]);
      if (operationId in CSV_REPORT)
        response[200] = withContent(response[200], CSV_REPORT[operationId as keyof typeof CSV_REPORT]);
      const examples = EXAMPLES[operationId];
      return {
        url,
        schema: {
          ...s,
          ...REQUEST_BODIES[operationId],
          ...(examples && s.body ? { body: { ...(s.body as object), examples } } : {}),
          operationId,
          tags: s.tags?.length ? s.tags : [tagOf(path)],
          security: path.startsWith("/v1/") ? [{ apiKey: [] }] : [],
          response: { ...response, "4xx": { $ref: "Error#" }, "5xx": { $ref: "Error#" } },
        },
      };
    },
  });
  if (docs) {
    // Only loaded when served: the UI and its static-file server cost ~6 MB of a service that does not show it.
    const { default: swaggerUi } = await import("@fastify/swagger-ui");
    await app.register(swaggerUi, { routePrefix: "/docs" });
  }
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
}

/** A JSON response schema as `content` with a second media type beside it. */
function withContent(json: unknown, more: Record<string, object>) {
  const { description, ...schema } = (json ?? {}) as { description?: string };
  return { description: description ?? "OK", content: { "application/json": { schema }, ...more } };
}
