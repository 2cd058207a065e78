import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type twilio from "twilio";
import type { Config } from "./config.js";
import type { Db } from "./db/db.js";
import { installErrorHandler } from "./errors.js";
import { healthRoutes } from "./health/routes.js";
import { installOpenApi } from "./http/openapi.js";
import { installValidation } from "./http/validation.js";
import { loggerOptions } from "./log.js";
import { participantRoutes } from "./participants/routes.js";
import { createParticipants } from "./participants/service.js";
import { installFormParser } from "./twilio/webhook-auth.js";

export interface AppOptions {
  config: Config;
  db: Db;
  twilio: twilio.Twilio;
  /** The clock every feature reads; tests move it. */
  clock?: () => Date;
  logger?: FastifyBaseLogger | boolean;
}

/** Builds the whole service without listening and without reading the environment. */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { config, db } = opts;
  const clock = opts.clock ?? (() => new Date());
  const app = Fastify({
    ...(typeof opts.logger === "object" ? { loggerInstance: opts.logger } : { logger: opts.logger === false ? false : loggerOptions(config.logLevel) }),
    bodyLimit: 256 * 1024,
    trustProxy: true,
    return503OnClosing: true,
  }) as unknown as FastifyInstance;

  installValidation(app);
  installErrorHandler(app);
  installFormParser(app);
  await installOpenApi(app);

  const sendSms = async (to: string, body: string) => {
    await opts.twilio.messages.create({ to, from: config.twilioFrom, body });
  };

  await app.register(healthRoutes(db));
  const participants = createParticipants({ db, log: app.log, clock, sendSms });
  await app.register(participantRoutes(participants, db));

  return app;
}
