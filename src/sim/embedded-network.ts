import type { Logger } from "pino";
import type { Config } from "../config.ts";
import { twilioUrl } from "../twilio/routes.ts";
import { startEmulator, type Emulator } from "./emulator.ts";
import { createPopulation } from "./population.ts";

export interface EmbeddedNetwork {
  apiUrl: string;
  accountSid: string;
  authToken: string;
  emulator: Emulator;
  close(): Promise<void>;
}

/**
 * The phone network the service runs on when no Twilio credentials are configured (the demo): the emulator in
 * this process, simulated citizens drawn from a seed, and the Burgernet number's webhooks pointing at us.
 */
export async function startEmbeddedNetwork({ config, log }: { config: Config; log: Logger }): Promise<EmbeddedNetwork> {
  const population = createPopulation({ seed: config.sim.seed });
  const local = `http://127.0.0.1:${config.port}`;
  const emulator = await startEmulator({
    port: 0,
    cps: 0, // the service holds the pace itself
    timeScale: config.sim.timeScale,
    personas: (phone) =>
      phone === config.meldkamerNumber ? { answer: "human", talkSeconds: 30 } : population.persona(phone),
    webhooks: {
      voiceUrl: twilioUrl(config.publicUrl, "inbound"),
      smsUrl: twilioUrl(config.publicUrl, "smsInbound"),
    },
    // Twilio would call the public URL; here it is this process.
    originMap: { [new URL(config.publicUrl).origin]: local },
    logger: log,
  });
  return {
    apiUrl: emulator.url,
    accountSid: emulator.accountSid,
    authToken: emulator.authToken,
    emulator,
    close: () => emulator.close(),
  };
}
