import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import twilio from "twilio";
import { ConfigError, type Config } from "./config.js";
import type { Db } from "./db/db.js";
import { frameworkErrors, installErrorHandler } from "./errors.js";
import { healthRoutes } from "./health/routes.js";
import { installOpenApi } from "./http/openapi.js";
import { RequestLog } from "./http/request-log.js";
import { installValidation } from "./http/validation.js";
import { installStrictText } from "./http/strict-text.js";
import { loggerOptions } from "./log.js";
import { participantRoutes } from "./participants/routes.js";
import { createParticipants } from "./participants/service.js";
import { twilioWebhooks } from "./twilio/plugin.js";
import { metricsPlugin } from "./metrics/plugin.js";
import { keyRoutes } from "./access/routes.js";
import { ivrHandlers } from "./ivr/routes.js";
import { loadVoiceScripts } from "./ivr/load-scripts.js";
import { spokenMessageTwiml } from "./ivr/spoken-message.js";
import { alertRoutes } from "./alerts/routes.js";
import { photoPageRoutes, photoRoutes } from "./photos/routes.js";
import { createPhotos } from "./photos/service.js";
import { createPricing } from "./cost/pricing.js";
import { createCosts } from "./cost/service.js";
import { priceCollectorPlugin } from "./cost/plugin.js";
import { createAlerts, type Alerts } from "./alerts/service.js";
import { escalationPlugin } from "./alerts/escalation-plugin.js";
import { dispatcherPlugin } from "./dispatch/plugin.js";
import { classifyCarrierError } from "./dispatch/carrier-errors.js";
import type { GateOptions } from "./dispatch/channel-gate.js";
import { createPace } from "./dispatch/pace.js";
import { createTwilioCarrier, type Carrier } from "./twilio/carrier.js";
import type { RetryPolicy } from "./deliveries/machine.js";
import { statusCallbackHandlers } from "./dispatch/status-routes.js";
import { capRoutes } from "./cap/routes.js";
import { createCapIntake } from "./cap/service.js";
import type { LiveOptions } from "./live/hub.js";
import { pgListenerPlugin } from "./live/pg-listener.js";
import { livePlugin } from "./live/plugin.js";
import { reportRoutes } from "./reports/routes.js";
import { analyticsRoutes } from "./analytics/routes.js";
import { conversationRoutes } from "./conversations/routes.js";
import { createConversations } from "./conversations/service.js";
import { retentionPlugin } from "./retention/plugin.js";
import { deleteRecordingAtCarrier, recordingFetcher } from "./sightings/recording.js";
import { sightingRoutes } from "./sightings/routes.js";
import { createSightings } from "./sightings/service.js";
import { webhookWorkerPlugin, type WebhookWorkerOptions } from "./webhooks/plugin.js";
import { webhookRoutes } from "./webhooks/routes.js";
import { consolePlugin } from "./console/plugin.js";
import { regionRoutes } from "./regions/routes.js";
import { createWebhooks } from "./webhooks/service.js";
import { loadTemplates } from "./templates/load.js";
import { templateRoutes } from "./templates/routes.js";
import { disableSubscriptionsOfKey } from "./webhooks/revocation.js";
import type { Language } from "./languages/languages.js";

export interface AppOptions {
  config: Config;
  db: Db;
  twilio: twilio.Twilio;
  /** The clock every feature reads; tests move it. */
  clock?: () => Date;
  logger?: FastifyBaseLogger | boolean;
  dispatch?: DispatchOptions;
  /** Where the voice scripts are (default: voice-scripts/ of the project); a broken script stops the boot. */
  voiceScriptsDir?: string;
  /** Where the alert templates are (default: templates/ of the project); a broken template stops the boot. */
  templatesDir?: string;
  /** Webhook sender timing (tests use a schedule in milliseconds) and the resolver it checks targets with. */
  webhooks?: WebhookWorkerOptions;
  live?: LiveOptions;
  /** Where the built console is (default dist/console-ui, written by npm run build:console). */
  consoleDir?: string;
}

declare module "fastify" {
  interface FastifyInstance {
    /** Every outbound request to the carrier (src/twilio/carrier.ts). */
    carrier: Carrier;
    /** The alerts service, for other intakes (CAP) that create and cancel alerts. */
    alerts: Alerts;
  }
}

export interface DispatchOptions {
  /** Start the dispatcher when the app is ready (default true). Tests that only read may switch it off. */
  autoStart?: boolean;
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  housekeepingMs?: number;
  retry?: RetryPolicy;
  /** Overrides CALLBACK_TIMEOUT_SECONDS (tests lose callbacks and want them settled soon). */
  callbackTimeoutMs?: number;
  /** Backoff of the per-channel circuit breaker and of the probes that lift an account halt. */
  gate?: GateOptions;
  /** The carrier client's request timeout (default 15 s): until then a request in flight may still be answered. */
  requestTimeoutMs?: number;
  /** How long a cancel waits for requests already in flight. */
  inFlightWaitMs?: number;
}

/** Builds the whole service without listening and without reading the environment. */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { config, db } = opts;
  const clock = opts.clock ?? (() => new Date());
  const app = Fastify({
    ...(typeof opts.logger === "object"
      ? { loggerInstance: opts.logger }
      : { logger: opts.logger === false ? false : loggerOptions(config.logLevel) }),
    bodyLimit: 256 * 1024,
    // Only the configured proxies' X-Forwarded-For is believed; a client's own header is not its address.
    trustProxy: config.trustProxy.length ? config.trustProxy : false,
    return503OnClosing: true,
    frameworkErrors,
    logController: new RequestLog(config.slowRequestMs),
  }) as unknown as FastifyInstance;

  installValidation(app);
  installStrictText(app);
  installErrorHandler(app);
  await installOpenApi(app, { docs: config.docsPublic, publicUrl: config.publicUrl });
  await app.register(metricsPlugin, {
    db,
    simulatedNetwork: config.simulatedNetwork,
    ownPort: config.metricsPort !== undefined,
    commit: config.buildCommit,
  });

  // Every request to the carrier goes through one interface and, for calls and SMS, through the shared pace:
  // registration codes too, so that together with the alerts they never exceed the CPS.
  const carrier = createTwilioCarrier({
    client: opts.twilio,
    from: config.twilioFrom,
    onResult: (operation, err) =>
      app.metrics.carrierRequests.inc({ operation, outcome: err ? classifyCarrierError(err).kind : "ok" }),
  });
  app.decorate("carrier", carrier);
  const pace = createPace({ db, cps: config.dispatchCps, mps: config.smsMps });
  const sendSms = async (to: string, body: string) => {
    await pace.paced("sms", (sendBy) => carrier.sendSms({ to, body, sendBy }));
  };

  await app.register(healthRoutes(db, { simulatedNetwork: config.simulatedNetwork, commit: config.buildCommit }));
  // Loaded (and checked against Twilio's voices) here: a broken script stops the boot; code calls use its voices.
  const voiceScripts = loadVoiceScripts(opts.voiceScriptsDir);
  const templates = loadTemplates(opts.templatesDir);
  const callWithMessage = async (to: string, text: string, language: Language) => {
    const twiml = spokenMessageTwiml(voiceScripts, language, text);
    await pace.paced("voice", (sendBy) => carrier.placeCall({ to, twiml, sendBy }));
  };
  const participants = createParticipants({
    db,
    log: app.log,
    clock,
    sendSms,
    callWithMessage,
    phoneCountries: config.phoneCountries,
    codeLimits: config.codeLimits,
  });
  await app.register(participantRoutes(participants, db));

  // Signatures keyed with an empty token can be forged by anyone: no carrier traffic without one.
  if (!config.twilio?.authToken)
    throw new ConfigError("TWILIO_AUTH_TOKEN is empty: Twilio signatures cannot be checked");
  const dispatch = opts.dispatch ?? {};
  const twilioAuthToken = () => config.twilio?.authToken ?? "";
  const retry = dispatch.retry ?? { maxAttempts: config.retryDelaysMs.length + 1, delaysMs: config.retryDelaysMs };
  await app.register(dispatcherPlugin, {
    db,
    carrier,
    pace,
    publicUrl: config.publicUrl,
    clock,
    quietHours: config.quietHours,
    timeZone: config.timeZone,
    retry,
    callbackTimeoutMs: dispatch.callbackTimeoutMs ?? config.callbackTimeoutMs,
    gate: dispatch.gate,
    requestTimeoutMs: dispatch.requestTimeoutMs,
    concurrency: dispatch.concurrency,
    leaseMs: dispatch.leaseMs ?? config.dispatchLeaseMs,
    pollMs: dispatch.pollMs,
    housekeepingMs: dispatch.housekeepingMs,
    autoStart: dispatch.autoStart ?? true,
    onSubmitted: (channel: string) => app.metrics.submitted.inc({ channel }),
    onSlotsLost: (channel, n, reason) => app.metrics.slotsLost.inc({ channel, reason }, n),
  });
  // Every route Twilio calls, in one scope behind one check (twilio/plugin.ts): the IVR's and the status callbacks.
  const ivr = ivrHandlers({ config, db, carrier, clock, participants, scripts: voiceScripts });
  await app.register(
    twilioWebhooks({
      publicUrl: config.publicUrl,
      accountSid: config.twilio.accountSid,
      authToken: twilioAuthToken,
      db,
      carrier,
      handlers: (scope) => ({ ...ivr, ...statusCallbackHandlers({ db, retry, log: scope.log }) }),
    }),
  );
  const pricing = createPricing({ config: config.cost, twilio: config.twilio, clock, log: app.log });
  const alerts = createAlerts({
    db,
    carrier,
    config,
    log: app.log,
    clock,
    costs: createCosts({ db, pricing, config: config.cost, clock }),
    wake: () => app.dispatcher.wake(),
    stopAlert: (id) => app.dispatcher.stopAlert(id),
    inFlightWaitMs: dispatch.inFlightWaitMs,
    templates,
  });
  app.decorate("alerts", alerts);
  await app.register(alertRoutes(alerts, db));
  await app.register(templateRoutes(templates, db));
  const photos = createPhotos({ db, publicUrl: config.publicUrl, clock });
  await app.register(photoRoutes(photos, db));
  await app.register(photoPageRoutes(photos));
  await app.register(escalationPlugin, {
    escalateDue: alerts.escalateDue,
    intervalMs: dispatch.autoStart === false ? 0 : (dispatch.housekeepingMs ?? 5_000),
  });

  // Results for operators: one LISTEN connection feeds the webhook sender and the live feed.
  await app.register(pgListenerPlugin, { db });
  await app.register(webhookWorkerPlugin, {
    db,
    clock,
    allowPrivate: config.webhookAllowPrivate,
    options: opts.webhooks,
  });
  await app.register(
    webhookRoutes(
      createWebhooks({
        db,
        allowPrivate: config.webhookAllowPrivate,
        resolver: opts.webhooks?.resolver,
        maxPerUnit: config.webhookMaxPerUnit,
      }),
      db,
    ),
  );
  await app.register(livePlugin, {
    db,
    options: { maxConnectionsPerKey: config.liveMaxConnectionsPerKey, ...opts.live },
  });
  await app.register(
    keyRoutes(db, {
      clock,
      closeLiveSockets: (id) => app.liveHub.closeKey(id),
      onRevoke: disableSubscriptionsOfKey,
    }),
  );
  await app.register(reportRoutes(db));
  await app.register(analyticsRoutes(db));
  const conversations = createConversations({
    db,
    clock,
    log: app.log,
    sendSms: (to, body) => pace.paced("sms", (sendBy) => carrier.sendSms({ to, body, sendBy })),
  });
  await app.register(conversationRoutes(conversations, db));
  await app.register(priceCollectorPlugin, {
    db,
    carrier,
    config: config.cost,
    intervalMs: config.cost.collectIntervalMs,
  });
  await app.register(sightingRoutes(createSightings({ db, fetchRecording: recordingFetcher(config.twilio) }), db));
  const r = config.retention;
  await app.register(retentionPlugin, {
    db,
    clock,
    intervalMs: r.intervalMs,
    days: {
      callEvents: r.callEventsDays,
      transcripts: r.transcriptsDays,
      recordings: r.recordingsDays,
      events: r.eventsDays,
      webhookDeliveries: r.webhookDeliveriesDays,
    },
    deleteRecording: (url) => deleteRecordingAtCarrier(carrier, url),
  });
  await app.register(capRoutes(createCapIntake({ db, alerts, clock, log: app.log }), db));
  await app.register(regionRoutes(db));
  await app.register(consolePlugin, { tileUrl: config.consoleTileUrl, dir: opts.consoleDir });

  return app;
}
