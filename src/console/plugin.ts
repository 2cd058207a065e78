import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";

/** Where `npm run build:console` writes the console (console/build.ts). */
export const CONSOLE_DIST = fileURLToPath(new URL("../../dist/console-ui/", import.meta.url));

export interface ConsoleOptions {
  /** Base map tiles ({z}/{x}/{y}); null: only the shipped boundaries, nothing leaves the origin. */
  tileUrl: string | null;
  dir?: string;
}

/** Everything from our own origin; a configured tile server is the one exception, for images only. */
export function consoleCsp(tileUrl: string | null): string {
  const tiles = tileUrl ? ` ${new URL(tileUrl.replace(/[{}]/g, "")).origin}` : "";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: blob:${tiles}`,
    "connect-src 'self'",
    "font-src 'self'",
    "media-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** GET /console: the operator console, static files built from console/, speaking only the public API. */
export const consolePlugin = fp(
  async (app: FastifyInstance, opts: ConsoleOptions) => {
    const root = opts.dir ?? CONSOLE_DIST;
    const csp = consoleCsp(opts.tileUrl);
    const built = existsSync(root);
    if (!built) app.log.warn({ root }, "operator console not built (npm run build:console): /console answers 503");

    app.get("/console", { schema: { hide: true } }, (_req, reply) => reply.redirect("/console/", 301));
    app.get("/console/config.json", { schema: { hide: true } }, async (_req, reply) => {
      reply.header("cache-control", "no-store");
      return { tileUrl: opts.tileUrl };
    });

    await app.register(async (scope) => {
      scope.addHook("onSend", async (_req, reply) => {
        reply.header("content-security-policy", csp);
        reply.header("x-content-type-options", "nosniff");
        reply.header("referrer-policy", "no-referrer");
      });
      if (!built) {
        scope.get("/console/*", { schema: { hide: true } }, (_req, reply) =>
          reply.code(503).type("text/plain; charset=utf-8").send("The console is not built: run npm run build:console"),
        );
        return;
      }
      await scope.register(fastifyStatic, {
        root,
        prefix: "/console/",
        index: "index.html",
        // Hashed bundle names would allow long caching; the console is small, so revalidate instead.
        cacheControl: true,
        maxAge: 0,
        schemaHide: true,
      });
    });
  },
  { name: "burgernet-console", fastify: "5.x" },
);
