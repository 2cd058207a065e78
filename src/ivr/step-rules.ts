import type { AnyStepName, MenuName, OptionalSmsName, Placeholder, SmsName } from "./script-types.js";

export interface StepRule {
  /** Placeholders the code provides for this step, besides {callbackNumber} (always there). */
  vars?: Placeholder[];
  /** The verb that takes the caller's answer, which must end the step; none: the step only speaks. */
  input?: "menu" | "pick" | "ask" | "dial" | "record";
  menu?: MenuName;
  ask?: "speech" | "dtmf";
}

const ALERT_VARS: Placeholder[] = ["alertText", "region"];

/** What the call flow relies on in each step; a script that breaks one of these does not load. */
export const STEP_RULES: Record<AnyStepName, StepRule> = {
  alert: { vars: ALERT_VARS, input: "menu", menu: "alert" },
  inboundAlert: { vars: ALERT_VARS, input: "menu", menu: "alert" },
  replay: { vars: ALERT_VARS, input: "menu", menu: "alert" },
  alertMenu: { input: "menu", menu: "alert" },
  generalMenu: { input: "menu", menu: "general" },
  confirmUnsubscribe: { input: "menu", menu: "confirm" },
  notUnderstood: {},
  noInputGoodbye: {},
  connect: { input: "dial" },
  whisper: { vars: ["region", "kind", "alertRef", "distance"] },
  whisperGeneral: { vars: ["region"] },
  afterCall: {},
  meldkamerUnavailable: {},
  tip: { input: "ask", ask: "speech" },
  recordTip: { input: "record" },
  tipThanks: {},
  unsubscribed: {},
  stillSubscribed: {},
  noAlert: {},
  severalAlerts: { vars: ["count"], input: "pick" },
  pickAlert: { input: "pick" },
  postcode: { input: "ask", ask: "dtmf" },
  postcodeChanged: { vars: ["postcode", "place"] },
  postcodeUnknown: { vars: ["postcode"] },
  alertEnded: {},
  voicemail: { vars: ["region"] },
  closing: { vars: ["closingMessage", "region"] },
  closed: { vars: ["region"] },
  failure: {},
  presenceCheck: { vars: ["place", "region"], input: "menu", menu: "presence" },
  presenceAway: { vars: ["place", "region"] },
  drill: {},
};

/** Placeholders of one item of a `pick` (choosing between alerts). */
export const PICK_VARS: Placeholder[] = ["kind", "time", "key", "count"];

export const SMS_VARS: Partial<Record<SmsName | OptionalSmsName, Placeholder[]>> = {
  moved: ["postcode", "place"],
  unknownPostcode: ["postcode"],
};

/** Choices the flow needs each menu to offer. */
export const MENU_CHOICES: Record<MenuName, string[]> = {
  alert: ["connect", "report", "replay", "unsubscribe"],
  general: ["connect", "report"],
  confirm: ["yes", "no"],
  presence: ["near", "away"],
};
