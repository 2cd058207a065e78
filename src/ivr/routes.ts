import type { FastifyInstance } from "fastify";
import type { Config } from "../config.js";
import type { Db } from "../db/db.js";
import type { Carrier } from "../twilio/carrier.js";
import { verifyTwilioSignature } from "../twilio/webhook-auth.js";
import { accountRoutes } from "./account-routes.js";
import { createAlertScriptCache } from "./alert-script-cache.js";
import { amdRoutes } from "./amd-routes.js";
import type { IvrDeps } from "./deps.js";
import { dialRoutes } from "./dial-routes.js";
import { inboundRoutes } from "./inbound-routes.js";
import { loadVoiceScripts } from "./load-scripts.js";
import type { VoiceScripts } from "./script-types.js";
import { menuRoutes } from "./menu-routes.js";
import { smsRoutes, type CodeVerifier } from "./sms-routes.js";
import { tipRoutes } from "./tip-routes.js";

export interface IvrOptions {
  config: Config;
  db: Db;
  carrier: Pick<Carrier, "redirectCall">;
  clock: () => Date;
  /** The participant registry, whose code check an SMS with the code goes through. */
  participants: CodeVerifier;
  /** Where the voice scripts live (default: voice-scripts/ of the project). */
  scriptsDir?: string;
  /** The scripts, when the app has loaded them already (it reads out registration codes in the same voices). */
  scripts?: VoiceScripts;
}

/**
 * The IVR: alert calls, the Burgernet number and SMS replies. The scripts are loaded (and validated) here, when the
 * app is built, so a broken script keeps the service from starting.
 */
export function ivrRoutes(opts: IvrOptions) {
  const scripts = opts.scripts ?? loadVoiceScripts(opts.scriptsDir);
  const { config, db, carrier, clock } = opts;
  const deps: IvrDeps = { config, db, carrier, clock, scripts, alertScripts: createAlertScriptCache() };
  return async function ivr(app: FastifyInstance) {
    // Every route here is a Twilio webhook: a bad signature gets 403 before anything is read or written.
    app.addHook(
      "preHandler",
      verifyTwilioSignature({ publicUrl: opts.config.publicUrl, authToken: () => opts.config.twilio?.authToken ?? "" }),
    );
    menuRoutes(app, deps);
    tipRoutes(app, deps);
    dialRoutes(app, deps);
    accountRoutes(app, deps);
    inboundRoutes(app, deps);
    amdRoutes(app, deps);
    smsRoutes(app, deps, opts.participants);
  };
}
