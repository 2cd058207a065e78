import pino from "pino";
import { createPopulation } from "./population.ts";
import { startEmulator } from "./emulator.ts";
import { print } from "../cli/print.ts";

/** Runs the phone network alone: `npm run sim`. Configured by SIM_* variables, all optional. */
const env = process.env;
const num = (v: string | undefined, fallback: number) => (v === undefined || v === "" ? fallback : Number(v));

const emulator = await startEmulator({
  port: num(env.SIM_PORT, 4010),
  host: env.SIM_HOST ?? "127.0.0.1",
  accountSid: env.SIM_ACCOUNT_SID,
  authToken: env.SIM_AUTH_TOKEN,
  cps: num(env.SIM_CPS, 1),
  concurrency: num(env.SIM_CONCURRENCY, 100),
  timeScale: num(env.SIM_TIME_SCALE, 1),
  personas: env.SIM_SEED ? createPopulation({ seed: env.SIM_SEED }).persona : undefined,
  webhooks: { voiceUrl: env.SIM_VOICE_URL, smsUrl: env.SIM_SMS_URL },
  logger: pino({ level: env.LOG_LEVEL ?? "info" }),
});

print(`Twilio emulator on ${emulator.url}`);
print(`TWILIO_API_URL=${emulator.url}`);
print(`TWILIO_ACCOUNT_SID=${emulator.accountSid}`);
print(`TWILIO_AUTH_TOKEN=${emulator.authToken}`);

const stop = () => {
  void emulator.close().then(() => process.exit(0));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
