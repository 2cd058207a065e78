import type { Language } from "../languages/languages.js";

/** The shape of a voice script (voice-scripts/schema.json is the authority; these types mirror it). */

export const STEP_NAMES = [
  "alert",
  "inboundAlert",
  "replay",
  "alertMenu",
  "generalMenu",
  "notUnderstood",
  "noInputGoodbye",
  "connect",
  "whisper",
  "whisperGeneral",
  "afterCall",
  "meldkamerUnavailable",
  "tip",
  "recordTip",
  "tipThanks",
  "confirmUnsubscribe",
  "unsubscribed",
  "stillSubscribed",
  "noAlert",
  "severalAlerts",
  "pickAlert",
  "postcode",
  "postcodeChanged",
  "postcodeUnknown",
  "alertEnded",
  "voicemail",
  "closing",
  "closed",
  "failure",
  "drill",
] as const;
export type StepName = (typeof STEP_NAMES)[number];

/**
 * Steps a script may leave out (issue 25): without them its language is not asked "are you nearby now?" and the
 * alert plays at once, as before.
 */
export const OPTIONAL_STEP_NAMES = ["presenceCheck", "presenceAway"] as const;
export type OptionalStepName = (typeof OPTIONAL_STEP_NAMES)[number];
export type AnyStepName = StepName | OptionalStepName;

export const SMS_NAMES = [
  "unsubscribed",
  "notSubscribed",
  "resubscribed",
  "alreadySubscribed",
  "howToRegister",
  "info",
  "verified",
  "codeRejected",
  "noPendingCode",
  "moved",
  "unknownPostcode",
  "moveUsage",
  "tipThanks",
  "erased",
  "drillsOn",
  "drillsOff",
] as const;
export type SmsName = (typeof SMS_NAMES)[number];
/** SMS replies a script may leave out (Dutch is sent instead): the thanks for a JA / NEE reply. */
export type OptionalSmsName = "presenceNear" | "presenceAway" | "conversationOpened";

export type MenuName = "alert" | "general" | "confirm" | "presence";
export type Choice = "connect" | "report" | "replay" | "postcode" | "unsubscribe" | "yes" | "no" | "near" | "away";
export type Flag = "registered" | "inbound";
export type AlertKind = "suspect" | "vehicle" | "missing_person" | "missing_child" | "other";

export const PLACEHOLDERS = [
  "alertText",
  "callbackNumber",
  "region",
  "count",
  "kind",
  "time",
  "key",
  "postcode",
  "place",
  "closingMessage",
  "alertRef",
  "distance",
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type Vars = Partial<Record<Placeholder, string>>;

export interface MenuOption {
  key: string;
  choice: Choice;
  say: string;
  speech: string[];
  when?: Flag[];
}

export interface Menu {
  timeout: number;
  prompt?: string;
  options: MenuOption[];
}

export interface VerbSpecs {
  say: string;
  pause: number;
  menu: MenuName;
  pick: { item: string; timeout: number };
  ask: { input: "speech" | "dtmf"; prompt: string; timeout: number; speechTimeout?: number; numDigits?: number };
  dial: { timeout: number };
  record: { maxLength: number; timeout: number; finishOnKey?: string };
  hangup: true;
}
export type VerbName = keyof VerbSpecs;
/** One verb of a step: an object with exactly one key. */
export type ScriptVerb = { [K in VerbName]: { [P in K]: VerbSpecs[K] } }[VerbName];

export interface VoiceScript {
  language: string;
  /** Who wrote the texts, and whether a native speaker has reviewed them yet. */
  translation: { author: string; reviewedByNativeSpeaker: boolean; reviewedBy?: string; notes?: string };
  voice: string;
  /** Every language but Dutch: introduces an alert text that exists only in Dutch. */
  dutchFallback?: { say: string; sms: string };
  speech: {
    language: string;
    /** null: Twilio offers no recognition for the language; keys only, and a tip is recorded. */
    model: string | null;
    tipHints: string[];
    menuMinConfidence: number;
    tipMinConfidence: number;
  };
  retries: number;
  kinds: Record<AlertKind, string>;
  menus: Record<Exclude<MenuName, "presence">, Menu> & { presence?: Menu };
  steps: Record<StepName, ScriptVerb[]> & Partial<Record<OptionalStepName, ScriptVerb[]>>;
  sms: Record<SmsName, string> & Partial<Record<OptionalSmsName, string>>;
  /** Sentences added to a step's text when they apply (optional: a script without them leaves them out). */
  sentences?: { photoBySms?: string };
}

/** The scripts by participant language; `nl` always exists and is the fallback. */
export type VoiceScripts = { nl: VoiceScript } & Partial<Record<Language, VoiceScript>>;
