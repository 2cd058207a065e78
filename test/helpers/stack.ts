import { createServer } from "node:net";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import { buildApp, type DispatchOptions } from "../../src/app.js";
import type { WebhookWorkerOptions } from "../../src/webhooks/plugin.js";
import { createApiKey } from "../../src/access/keys.js";
import { loadConfig, type Config } from "../../src/config.js";
import type { Db } from "../../src/db/db.js";
import { createTwilioClient, type TwilioClient } from "../../src/twilio/client.js";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../src/sim/index.js";
import { createTestDb } from "./db.js";

export const BURGERNET = "+3197010000000";

export async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

export interface Stack {
  app: FastifyInstance;
  db: Db;
  emulator: Emulator;
  config: Config;
  url: string;
  keys: { operator: string; registration: string; admin: string; otherRegion: string };
  close(): Promise<void>;
}

export interface StackOptions {
  emulator?: EmulatorOptions;
  env?: Record<string, string>;
  dispatch?: DispatchOptions;
  clock?: () => Date;
  db?: Db;
  /** A logger of the test's own (test/participants/logs.test.ts reads what the service logs). */
  logger?: FastifyBaseLogger;
  /** The built console to serve (test/console builds its own). */
  consoleDir?: string;
  /** The webhook sender and progress publisher; `{ enabled: false }`: a test that counts rows writes nothing itself. */
  webhooks?: WebhookWorkerOptions;
  /** How long the Twilio client waits for an answer (15 s, as in production, unless a test scales time). */
  carrierTimeoutMs?: number;
  /** Sees the service's Twilio client before the service starts (a test slows its HTTP client down). */
  twilioClient?: (client: TwilioClient) => void;
}

/**
 * The service listening on a real port, on its own schema, talking through the real twilio SDK to the emulator,
 * which calls the service's webhooks back. What `npm start` does, minus the environment.
 */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const testDb = opts.db ? null : await createTestDb();
  const db = opts.db ?? testDb!;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const emulator = await startEmulator({
    timeScale: 0.001,
    cps: 0,
    webhooks: { voiceUrl: `${url}/twilio/voice/inbound`, smsUrl: `${url}/twilio/sms/inbound` },
    ...opts.emulator,
  });
  const config = loadConfig({
    PUBLIC_URL: url,
    PORT: String(port),
    TWILIO_ACCOUNT_SID: emulator.accountSid,
    TWILIO_AUTH_TOKEN: emulator.authToken,
    TWILIO_API_URL: emulator.url,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    DISPATCH_CPS: "1000",
    SMS_MPS: "1000",
    // The suite runs at any hour: quiet hours are off unless a test turns them on and pins the clock
    // (test/alerts/quiet-hours.test.ts runs the same alerts at night on purpose).
    QUIET_HOURS: "off",
    ...opts.env,
  });
  const twilio = createTwilioClient({ ...config.twilio!, apiUrl: emulator.url, timeoutMs: opts.carrierTimeoutMs });
  opts.twilioClient?.(twilio);
  const app = await buildApp({
    config,
    db,
    twilio,
    clock: opts.clock,
    logger: opts.logger,
    consoleDir: opts.consoleDir,
    webhooks: opts.webhooks,
    dispatch: { pollMs: 20, housekeepingMs: 50, leaseMs: 5_000, ...opts.dispatch },
  });
  await app.listen({ port, host: "127.0.0.1" });
  const keys = {
    operator: (await createApiKey(db, { role: "operator", region: "RE05" })).key,
    otherRegion: (await createApiKey(db, { role: "operator", region: "RE07" })).key,
    registration: (await createApiKey(db, { role: "registration" })).key,
    admin: (await createApiKey(db, { role: "admin" })).key,
  };
  return {
    app,
    db,
    emulator,
    config,
    url,
    keys,
    async close() {
      await app.close();
      await emulator.close();
      await testDb?.drop();
    },
  };
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/**
 * A form POST to one of our Twilio webhooks, signed as Twilio signs it (the emulator's signer), with the account
 * and API version Twilio sends with every webhook.
 */
export function twilioPost(s: Stack, path: string, given: Record<string, string>) {
  const params = { AccountSid: s.config.twilio!.accountSid, ApiVersion: "2010-04-01", ...given };
  return s.app.inject({
    method: "POST",
    url: path,
    payload: new URLSearchParams(params).toString(),
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": s.emulator.sign(s.config.publicUrl + path, params),
    },
  });
}
