// The only place that reads the environment: config, logger, database, Twilio (or the built-in emulator), listen.
import { createServer, type Server } from "node:http";
import { once } from "node:events";
import { pathToFileURL } from "node:url";
import closeWithGrace from "close-with-grace";
import pino from "pino";
import { buildApp } from "./app.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { openDatabase } from "./db/open.js";
import type { Db } from "./db/db.js";
import { loadDotEnv } from "./env-file.js";
import { loggerOptions } from "./log.js";
import { createTwilioClient } from "./twilio/client.js";

async function twilioFor(config: Config, log: pino.Logger) {
  if (config.twilio)
    return { client: createTwilioClient(config.twilio), credentials: config.twilio, close: async () => {} };
  // No credentials: the local phone network with simulated citizens (the demo setup).
  const { startEmbeddedNetwork } = await import("./sim/embedded-network.js");
  const network = await startEmbeddedNetwork({ config, log: log.child({ component: "sim" }) });
  log.warn(
    { apiUrl: network.apiUrl },
    "no Twilio credentials: using the built-in Twilio emulator and simulated citizens",
  );
  return {
    client: createTwilioClient({
      accountSid: network.accountSid,
      authToken: network.authToken,
      apiUrl: network.apiUrl,
    }),
    // apiUrl: the Pricing API and recordings are read from the emulator too, never from Twilio.
    credentials: { accountSid: network.accountSid, authToken: network.authToken, apiUrl: network.apiUrl },
    close: () => network.close(),
  };
}

export interface RunningServer {
  url: string;
  config: Config;
  db: Db;
  close(): Promise<void>;
}

/**
 * METRICS_PORT: /metrics and /metrics/database alone on their own listener (127.0.0.1 unless METRICS_HOST says
 * otherwise), no key.
 */
async function metricsListener(app: Awaited<ReturnType<typeof buildApp>>, config: Config, log: pino.Logger) {
  const server: Server = createServer((req, res) => {
    const path = req.url?.split("?")[0] ?? "";
    if (req.method !== "GET" || !["/metrics", "/metrics/database"].includes(path)) {
      res.writeHead(404, { "content-type": "application/json" }).end(
        JSON.stringify({
          error: { code: "BN_NOT_FOUND", message: "Only GET /metrics and /metrics/database are served here" },
        }),
      );
      return;
    }
    app.metrics.render(path).then(
      (text) => res.writeHead(200, { "content-type": app.metrics.registry.contentType }).end(text),
      (err) => {
        log.error({ err }, "metrics could not be collected");
        res.writeHead(500).end();
      },
    );
  });
  server.listen(config.metricsPort, config.metricsHost);
  await once(server, "listening");
  log.info({ host: config.metricsHost, port: config.metricsPort }, "metrics listening");
  return server;
}

/** Starts the service as `npm start` does. `installSignals: false` leaves shutdown to the caller (the demo). */
export async function startServer(
  env: NodeJS.ProcessEnv = process.env,
  { installSignals = true } = {},
): Promise<RunningServer> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = pino(loggerOptions(config.logLevel));
  const database = await openDatabase(config, (msg) => log.info(msg));
  const twilio = await twilioFor(config, log);
  const app = await buildApp({
    config: { ...config, twilio: twilio.credentials },
    db: database.db,
    twilio: twilio.client,
    logger: log,
  });
  await app.listen({ port: config.port, host: config.host });
  const metrics = config.metricsPort === undefined ? undefined : await metricsListener(app, config, log);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      if (metrics) await new Promise((r) => metrics.close(r));
      await app.close(); // finishes in-flight requests; plugins stop and release their leases in onClose
      await twilio.close();
      await database.close();
    })());
  if (installSignals) {
    closeWithGrace({ delay: 10_000, logger: log }, async ({ signal, err }) => {
      if (err) log.error({ err }, "shutting down after an error");
      else log.info({ signal }, "shutting down");
      await close();
    });
  }
  return { url: `http://${config.host}:${config.port}`, config, db: database.db, close };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  loadDotEnv();
  await startServer();
}
