import { Ajv } from "ajv";
import { secretsFromFiles } from "./env-file.js";
import { REGION_CODE_PATTERN } from "./regions/code.js";
import { COST_ENV, costConfig, type CostConfig } from "./cost/config.js";

/** Everything the service can be told from outside, validated once at boot (DESIGN §6). */
export interface Config {
  databaseUrl?: string;
  /** PGBOUNCER=true: DATABASE_URL is a PgBouncer in transaction pooling; LISTEN and migrations use this URL. */
  transactionPooler?: { directConnectionString: string };
  embeddedDataDir: string;
  publicUrl: string;
  port: number;
  host: string;
  logLevel: string;
  /** A request answered slower than this is logged at warn, on the quiet routes too (src/http/request-log.ts). */
  slowRequestMs: number;
  twilio?: { accountSid: string; authToken: string; apiUrl?: string };
  twilioFrom: string;
  burgernetNumber: string;
  meldkamerNumber: string;
  /** What key 1 dials during a drill (DRILL_NUMBER; unset: the Burgernet number, never the meldkamer). */
  drillNumber: string;
  /** The police unit a tip goes to when nothing ties it to a place (unknown caller, no alert). */
  defaultRegion: string;
  dispatchCps: number;
  smsMps: number;
  dispatchLeaseMs: number;
  /** A call or SMS at the carrier this long without a status callback is looked up at the carrier. */
  callbackTimeoutMs: number;
  /** Waits before the 2nd, 3rd, … call to a busy or unanswered number. */
  retryDelaysMs: number[];
  /** null: no quiet hours (QUIET_HOURS=off). */
  quietHours: { start: string; end: string } | null;
  timeZone: string;
  webhookAllowPrivate: boolean;
  /** Webhook subscriptions one unit may hold (deleted ones do not count). */
  webhookMaxPerUnit: number;
  /** The most people one alert may reach without an admin key. */
  maxAlertReach: number;
  /**
   * Operator console base map tiles ({z}/{x}/{y}); null: only the shipped CBS boundaries, nothing leaves the
   * origin.
   */
  consoleTileUrl: string | null;
  /** The built-in phone network used when no Twilio credentials are set. */
  sim: { seed: string; timeScale: number };
  /** Days personal data is kept (src/retention); how often the job runs. */
  retention: {
    callEventsDays: number;
    transcriptsDays: number;
    recordingsDays: number;
    eventsDays: number;
    webhookDeliveriesDays: number;
    intervalMs: number;
  };
  /** NODE_ENV=production: fails closed (no real database or carrier: no start, unless SIMULATED_NETWORK=true). */
  production: boolean;
  /** Calls and SMS go to the built-in emulator and its simulated citizens, not to a carrier. */
  simulatedNetwork: boolean;
  /** Countries (ISO 3166 alpha-2) whose numbers may register. */
  phoneCountries: string[];
  /** Verification codes per hour: per phone, per API key, in all. */
  codeLimits: { perPhone: number; perKey: number; total: number; attemptsPerPhone: number };
  /** Addresses of the reverse proxies whose X-Forwarded-For is believed; empty: none. */
  trustProxy: string[];
  /** /metrics on its own listener (bound to metricsHost) instead of the API port with a key. */
  metricsPort?: number;
  metricsHost: string;
  /** The commit the image was built from (BUILD_COMMIT, the Dockerfile's build argument); "unknown" otherwise. */
  buildCommit: string;
  /** Serve the browsable /docs (the OpenAPI JSON stays at /openapi.json). */
  docsPublic: boolean;
  /** Live-feed WebSocket connections one API key may hold at once. */
  liveMaxConnectionsPerKey: number;
  /** Carrier prices, the preview's basis and the monthly budgets (src/cost). */
  cost: CostConfig;
}

const envSchema = {
  type: "object",
  properties: {
    DATABASE_URL: { type: "string", pattern: "^postgres(ql)?://" },
    PGBOUNCER: { type: "boolean", default: false },
    DATABASE_DIRECT_URL: { type: "string", pattern: "^postgres(ql)?://" },
    EMBEDDED_PG_DIR: { type: "string", default: "./data/pg" },
    PUBLIC_URL: { type: "string", pattern: "^https?://[^/]+(/.*)?$" },
    PORT: { type: "integer", minimum: 0, maximum: 65535, default: 3000 },
    HOST: { type: "string", default: "127.0.0.1" },
    LOG_LEVEL: { enum: ["fatal", "error", "warn", "info", "debug", "trace", "silent"], default: "info" },
    LOG_SLOW_REQUEST_SECONDS: { type: "number", minimum: 0, maximum: 3600, default: 1 },
    TWILIO_ACCOUNT_SID: { type: "string", pattern: "^AC[0-9a-fA-F]{32}$" },
    TWILIO_AUTH_TOKEN: { type: "string", minLength: 16 },
    TWILIO_API_URL: { type: "string", pattern: "^https?://" },
    TWILIO_FROM: { type: "string", pattern: "^\\+[1-9][0-9]{6,14}$", default: "+3197010000000" },
    BURGERNET_NUMBER: { type: "string", pattern: "^\\+[1-9][0-9]{6,14}$", default: "+3197010000000" },
    MELDKAMER_NUMBER: { type: "string", pattern: "^\\+[1-9][0-9]{6,14}$", default: "+31900884400" },
    DRILL_NUMBER: { type: "string", pattern: "^\\+[1-9][0-9]{6,14}$" },
    DEFAULT_REGION: { type: "string", pattern: REGION_CODE_PATTERN, default: "RE03" },
    DISPATCH_CPS: { type: "number", exclusiveMinimum: 0, maximum: 10000, default: 1 },
    SMS_MPS: { type: "number", exclusiveMinimum: 0, maximum: 10000, default: 10 },
    RETRY_DELAYS_SECONDS: {
      type: "string",
      pattern: "^[0-9]+(\\.[0-9]+)?(,[0-9]+(\\.[0-9]+)?){0,4}$",
      default: "120,300",
    },
    DISPATCH_LEASE_SECONDS: { type: "number", minimum: 1, maximum: 3600, default: 60 },
    CALLBACK_TIMEOUT_SECONDS: { type: "number", minimum: 1, maximum: 86400, default: 180 },
    QUIET_HOURS: {
      type: "string",
      pattern: "^(off|([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9])$",
      default: "23:00-07:00",
    },
    WEBHOOK_ALLOW_PRIVATE: { type: "boolean", default: false },
    WEBHOOK_MAX_SUBSCRIPTIONS_PER_UNIT: { type: "integer", minimum: 1, maximum: 1000, default: 20 },
    MAX_ALERT_REACH: { type: "integer", minimum: 1, default: 100000 },
    CONSOLE_TILE_URL: { type: "string", pattern: "^https://[^/]+/.*\\{z\\}.*\\{x\\}.*\\{y\\}" },
    NODE_ENV: { type: "string" },
    SIMULATED_NETWORK: { type: "boolean", default: false },
    PHONE_COUNTRIES: { type: "string", pattern: "^[A-Z]{2}(,[A-Z]{2})*$", default: "NL" },
    CODES_PER_PHONE_PER_HOUR: { type: "integer", minimum: 1, maximum: 10, default: 3 },
    CODES_PER_KEY_PER_HOUR: { type: "integer", minimum: 1, default: 1000 },
    CODES_PER_HOUR: { type: "integer", minimum: 1, default: 5000 },
    TRUST_PROXY: { type: "string", pattern: "^[0-9a-fA-F.:/]+(,[0-9a-fA-F.:/]+)*$" },
    METRICS_PORT: { type: "integer", minimum: 0, maximum: 65535 },
    METRICS_HOST: { type: "string", default: "127.0.0.1" },
    DOCS_PUBLIC: { type: "boolean", default: false },
    BUILD_COMMIT: { type: "string", pattern: "^[0-9A-Za-z._-]{1,64}$", default: "unknown" },
    LIVE_MAX_CONNECTIONS_PER_KEY: { type: "integer", minimum: 1, maximum: 1000, default: 5 },
    SIM_SEED: { type: "string", default: "1" },
    SIM_TIME_SCALE: { type: "number", exclusiveMinimum: 0, maximum: 10, default: 1 },
    RETENTION_CALL_EVENTS_DAYS: { type: "number", minimum: 1, maximum: 3650, default: 30 },
    RETENTION_TRANSCRIPTS_DAYS: { type: "number", minimum: 1, maximum: 3650, default: 90 },
    RETENTION_RECORDINGS_DAYS: { type: "number", minimum: 1, maximum: 3650, default: 30 },
    // At least a week: webhooks are retried for 3 days and replayed from these rows.
    RETENTION_EVENTS_DAYS: { type: "number", minimum: 7, maximum: 3650, default: 30 },
    RETENTION_WEBHOOK_DELIVERIES_DAYS: { type: "number", minimum: 7, maximum: 3650, default: 30 },
    RETENTION_INTERVAL_SECONDS: { type: "number", minimum: 0, maximum: 86400, default: 3600 },
    ...COST_ENV,
  },
  dependencies: {
    TWILIO_ACCOUNT_SID: ["TWILIO_AUTH_TOKEN"],
    TWILIO_AUTH_TOKEN: ["TWILIO_ACCOUNT_SID"],
  },
} as const;

export class ConfigError extends Error {}

/** Fail closed: what a production start (or any start that talks to a carrier) is missing. */
function closedProblems(e: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (e.SIMULATED_NETWORK && e.TWILIO_ACCOUNT_SID)
    problems.push("SIMULATED_NETWORK=true and TWILIO_ACCOUNT_SID are both set: choose one network");
  if (e.NODE_ENV !== "production" || e.SIMULATED_NETWORK) return problems;
  if (!e.DATABASE_URL) problems.push("DATABASE_URL is required in production");
  if (!e.TWILIO_ACCOUNT_SID || !e.TWILIO_AUTH_TOKEN)
    problems.push(
      "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are required in production " +
        "(or SIMULATED_NETWORK=true for the simulated network)",
    );
  if (!/^https:\/\//.test(String(e.PUBLIC_URL ?? ""))) problems.push("PUBLIC_URL must be an https URL in production");
  return problems;
}

/** Reads the environment once; throws a ConfigError naming every bad variable. */
export function loadConfig(given: NodeJS.ProcessEnv): Config {
  const { env, fromFile, problems: fileProblems } = secretsFromFiles(given);
  if (fileProblems.length) throw new ConfigError(`invalid configuration: ${fileProblems.join("; ")}`);
  // A value from a file is named with its file's variable; ajv's messages name the rule, never the value.
  const named = (name: string) => (fromFile.has(name) ? `${name} (from ${name}_FILE)` : name);
  const ajv = new Ajv({ allErrors: true, useDefaults: true, coerceTypes: true });
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(envSchema.properties)) {
    if (env[key] !== undefined && env[key] !== "") raw[key] = env[key];
  }
  // Checked first: an empty value is otherwise read as unset, and the service would fall back to the emulator.
  const token = env.TWILIO_AUTH_TOKEN;
  if (env.TWILIO_ACCOUNT_SID && !token?.trim())
    throw new ConfigError(
      `invalid configuration: ${named("TWILIO_AUTH_TOKEN")} is empty: Twilio webhook signatures could not be checked`,
    );
  if (!ajv.validate(envSchema, raw)) {
    const problems = (ajv.errors ?? []).map((e) => `${named(e.instancePath.slice(1)) || "env"} ${e.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join("; ")}`);
  }
  const closed = closedProblems(raw);
  if (closed.length) throw new ConfigError(`invalid configuration: ${closed.join("; ")}`);
  // Behind a transaction pooler, LISTEN and the migration lock need a connection of their own to PostgreSQL.
  if (raw.PGBOUNCER && !(raw.DATABASE_URL && raw.DATABASE_DIRECT_URL))
    throw new ConfigError("invalid configuration: PGBOUNCER=true needs DATABASE_URL and DATABASE_DIRECT_URL");
  const e = raw as Record<string, never>;
  const port = e.PORT as number;
  const [start, end] = (e.QUIET_HOURS as string).split("-");
  const quietHours = e.QUIET_HOURS === "off" ? null : { start, end };
  return {
    databaseUrl: e.DATABASE_URL,
    transactionPooler: e.PGBOUNCER ? { directConnectionString: e.DATABASE_DIRECT_URL } : undefined,
    embeddedDataDir: e.EMBEDDED_PG_DIR,
    publicUrl: ((e.PUBLIC_URL as string | undefined) ?? `http://127.0.0.1:${port}`).replace(/\/$/, ""),
    port,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    slowRequestMs: (e.LOG_SLOW_REQUEST_SECONDS as number) * 1000,
    twilio: e.TWILIO_ACCOUNT_SID
      ? { accountSid: e.TWILIO_ACCOUNT_SID, authToken: e.TWILIO_AUTH_TOKEN, apiUrl: e.TWILIO_API_URL }
      : undefined,
    twilioFrom: e.TWILIO_FROM,
    burgernetNumber: e.BURGERNET_NUMBER,
    meldkamerNumber: e.MELDKAMER_NUMBER,
    drillNumber: (e.DRILL_NUMBER as string | undefined) ?? e.BURGERNET_NUMBER,
    defaultRegion: e.DEFAULT_REGION,
    dispatchCps: e.DISPATCH_CPS,
    smsMps: e.SMS_MPS,
    dispatchLeaseMs: (e.DISPATCH_LEASE_SECONDS as number) * 1000,
    callbackTimeoutMs: (e.CALLBACK_TIMEOUT_SECONDS as number) * 1000,
    retryDelaysMs: (e.RETRY_DELAYS_SECONDS as string).split(",").map((v) => Number(v) * 1000),
    quietHours,
    timeZone: "Europe/Amsterdam",
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
    webhookMaxPerUnit: e.WEBHOOK_MAX_SUBSCRIPTIONS_PER_UNIT,
    maxAlertReach: e.MAX_ALERT_REACH,
    consoleTileUrl: e.CONSOLE_TILE_URL ?? null,
    sim: { seed: e.SIM_SEED, timeScale: e.SIM_TIME_SCALE },
    retention: {
      callEventsDays: e.RETENTION_CALL_EVENTS_DAYS,
      transcriptsDays: e.RETENTION_TRANSCRIPTS_DAYS,
      recordingsDays: e.RETENTION_RECORDINGS_DAYS,
      eventsDays: e.RETENTION_EVENTS_DAYS,
      webhookDeliveriesDays: e.RETENTION_WEBHOOK_DELIVERIES_DAYS,
      intervalMs: (e.RETENTION_INTERVAL_SECONDS as number) * 1000,
    },
    production: e.NODE_ENV === "production",
    simulatedNetwork: !e.TWILIO_ACCOUNT_SID,
    phoneCountries: (e.PHONE_COUNTRIES as string).split(","),
    codeLimits: {
      perPhone: e.CODES_PER_PHONE_PER_HOUR,
      perKey: e.CODES_PER_KEY_PER_HOUR,
      total: e.CODES_PER_HOUR,
      attemptsPerPhone: 5,
    },
    trustProxy: e.TRUST_PROXY ? (e.TRUST_PROXY as string).split(",") : [],
    metricsPort: e.METRICS_PORT,
    metricsHost: e.METRICS_HOST,
    buildCommit: e.BUILD_COMMIT,
    docsPublic: e.DOCS_PUBLIC,
    liveMaxConnectionsPerKey: e.LIVE_MAX_CONNECTIONS_PER_KEY,
    cost: costConfig(e),
  };
}
