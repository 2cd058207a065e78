import type { Config } from "../config.js";
import type { Db } from "../db/db.js";
import type { Carrier } from "../twilio/carrier.js";
import type { TwilioHandlers, TwilioRouteName } from "../twilio/routes.js";
import { accountHandlers } from "./account-routes.js";
import { createAlertScriptCache } from "./alert-script-cache.js";
import { amdHandlers } from "./amd-routes.js";
import type { IvrDeps } from "./deps.js";
import { dialHandlers } from "./dial-routes.js";
import { inboundHandlers } from "./inbound-routes.js";
import { loadVoiceScripts } from "./load-scripts.js";
import type { VoiceScripts } from "./script-types.js";
import { menuHandlers } from "./menu-routes.js";
import { presenceHandlers } from "./presence-routes.js";
import { smsHandlers, type CodeVerifier } from "./sms-routes.js";
import { tipHandlers } from "./tip-routes.js";

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

/** The Twilio routes of the IVR (all but the status callbacks, which belong to the dispatcher). */
export type IvrRouteName = Exclude<TwilioRouteName, "callStatus" | "smsStatus">;

/**
 * The IVR's handlers: alert calls, the Burgernet number and SMS replies. The scripts are loaded (and validated)
 * here, when the app is built, so a broken script keeps the service from starting. The routes and their signature
 * check are registered by the one Twilio scope (twilio/plugin.ts).
 */
export function ivrHandlers(opts: IvrOptions): Pick<TwilioHandlers, IvrRouteName> {
  const scripts = opts.scripts ?? loadVoiceScripts(opts.scriptsDir);
  const { config, db, carrier, clock } = opts;
  const deps: IvrDeps = { config, db, carrier, clock, scripts, alertScripts: createAlertScriptCache() };
  return {
    ...menuHandlers(deps),
    ...presenceHandlers(deps),
    ...tipHandlers(deps),
    ...dialHandlers(deps),
    ...accountHandlers(deps),
    ...inboundHandlers(deps),
    ...amdHandlers(deps),
    ...smsHandlers(deps, opts.participants),
  };
}
