import type { FastifyInstance } from "fastify";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";

/** OpenAPI 3 generated from the route schemas: /openapi.json, browsable at /docs. */
export async function installOpenApi(app: FastifyInstance, { docs = false } = {}) {
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: { title: "burgernet-voice", version: "0.1.0", description: "Burgernet mass alerts by voice and SMS" },
      components: { securitySchemes: { apiKey: { type: "http", scheme: "bearer" } } },
    },
  });
  if (docs) await app.register(swaggerUi, { routePrefix: "/docs" }); // DOCS_PUBLIC: private by default
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
}
