import { isLiveAlert } from "../alerts/states.js";
import type { Config } from "../config.js";
import type { Db } from "../db/db.js";
import { languageOr, type Language } from "../languages/languages.js";
import { scriptFor } from "./load-scripts.js";
import { ivrQueries, type AlertRow } from "./queries.js";
import { regionOfPostcode } from "./regions.js";
import type { AnyStepName, Flag, Vars, VoiceScript, VoiceScripts } from "./script-types.js";
import { speakPhone } from "./spoken.js";

const E164 = /^\+[1-9][0-9]{6,14}$/;

export interface CallAlert {
  id: string;
  kind: AlertRow["kind"];
  /** The voice text in the caller's language (Dutch when the alert has none in it). */
  text: string;
  /** The text is the Dutch one, for a caller whose language the alert has no text in. */
  dutchFallback: boolean;
  live: boolean;
  centerLat: number;
  centerLon: number;
  closingMessage: string | null;
  /** On an update call: the update's voice text. */
  updateText?: string | null;
  /** Changes whenever the alert does (its texts, its status): what a rendered script is cached by. */
  version: string;
  /** Its calls open with "are you nearby now?" (issue 25). */
  presenceCheck: boolean;
}

/** Everything a step of a call needs to know, rebuilt from the database on every webhook (instances are stateless). */
export interface CallContext {
  script: VoiceScript;
  language: Language;
  alert?: CallAlert;
  deliveryId: number | null;
  /** What the call is for: the alert itself, a follow-up to it or, once it is over, its closing message. */
  purpose: "alert" | "closing" | "update";
  /** A drill: the call says so first, and key 1 dials the drill number. */
  drill?: boolean;
  participantId: string | null;
  registered: boolean;
  inbound: boolean;
  callerPhone: string | null;
  regionCode: string;
  regionName: string;
  meldkamerNumber: string;
  /** How far the citizen's location that the alert reached lies from the alert's centre; null when unknown. */
  distanceM: number | null;
  /** The alert text is followed by the sentence that the photo comes by SMS (part of the cached script's key). */
  photoBySms?: boolean;
  /** The query that names this context in every action URL: delivery=…, alert=… or general=1. */
  ref: Record<string, string>;
}

export interface ContextDeps {
  config: Config;
  db: Db;
  scripts: VoiceScripts;
  clock: () => Date;
}

/** What a call opens with: a drill says it is one first, in the participant's language (the script's `drill`). */
export function opening(ctx: CallContext, steps: AnyStepName[]): AnyStepName[] {
  return ctx.drill ? ["drill", ...steps] : steps;
}

export function flagsOf(ctx: CallContext): Set<Flag> {
  const flags = new Set<Flag>();
  if (ctx.registered) flags.add("registered");
  if (ctx.inbound) flags.add("inbound");
  return flags;
}

export function baseVars(ctx: CallContext, config: Config): Vars {
  const vars: Vars = { callbackNumber: speakPhone(config.burgernetNumber), region: ctx.regionName };
  if (ctx.alert) {
    vars.alertText = ctx.alert.text;
    vars.kind = ctx.script.kinds[ctx.alert.kind];
  }
  return vars;
}

/** The voice text in the caller's language, Dutch when the alert has none in it. */
export function alertText(row: Pick<AlertRow, "texts">, language: Language): string {
  return row.texts[language]?.voice ?? row.texts.nl.voice;
}

function toAlert(row: AlertRow, language: Language, now: Date, photoSentence?: string): CallAlert {
  return {
    id: row.alert_id,
    kind: row.kind,
    text: photoSentence ? `${alertText(row, language)} ${photoSentence}` : alertText(row, language),
    dutchFallback: language !== "nl" && !row.texts[language]?.voice,
    live: isLiveAlert(row, now),
    centerLat: row.center_lat,
    centerLon: row.center_lon,
    closingMessage: row.closing_message,
    version: row.alert_version,
    presenceCheck: row.presence_check,
  };
}

/** The context of an alert call placed by the dispatcher; null when the delivery does not exist. */
export async function deliveryContext(deps: ContextDeps, deliveryId: number): Promise<CallContext | null> {
  if (!Number.isSafeInteger(deliveryId) || deliveryId <= 0) return null;
  const row = (await ivrQueries.delivery(deps.db, deliveryId)).rows[0];
  if (!row) return null;
  const script = scriptFor(deps.scripts, row.language);
  // "The photo comes by SMS": only to those whose SMS of this alert carries the link.
  const photoSentence = row.photo_by_sms ? script.sentences?.photoBySms : undefined;
  return {
    script,
    language: languageOr(row.language),
    alert: { ...toAlert(row, languageOr(row.language), deps.clock(), photoSentence), updateText: row.update_text },
    photoBySms: photoSentence !== undefined,
    deliveryId: row.delivery_id,
    purpose: row.purpose,
    drill: row.drill,
    participantId: row.participant_id,
    registered: row.participant_status === "active",
    inbound: false,
    callerPhone: row.phone,
    regionCode: row.region_code,
    regionName: row.region_name,
    meldkamerNumber: row.drill ? deps.config.drillNumber : (row.region_meldkamer ?? deps.config.meldkamerNumber),
    distanceM: row.distance_m,
    ref: { delivery: String(row.delivery_id) },
  };
}

/** The context of a call to the Burgernet number, about one alert or about none (a general tip). */
export async function callerContext(
  deps: ContextDeps,
  from: string | undefined,
  alertId?: string,
): Promise<CallContext | null> {
  // Twilio posts a withheld number as "anonymous" (or a placeholder): treat it as no number at all.
  const phone = from && E164.test(from) ? from : null;
  const caller = phone ? (await ivrQueries.caller(deps.db, phone)).rows[0] : undefined;
  const language = languageOr(caller?.language);
  const base = {
    purpose: "alert" as const,
    script: scriptFor(deps.scripts, language),
    language,
    participantId: caller?.id ?? null,
    registered: caller !== undefined,
    inbound: true,
    callerPhone: phone,
  };
  if (alertId !== undefined) {
    if (!/^[0-9a-f-]{36}$/i.test(alertId)) return null;
    const row = (await ivrQueries.alert(deps.db, alertId, phone ?? "")).rows[0];
    if (!row) return null;
    return {
      ...base,
      alert: toAlert(row, language, deps.clock()),
      deliveryId: row.delivery_id,
      drill: row.drill,
      regionCode: row.region_code,
      regionName: row.region_name,
      meldkamerNumber: row.drill ? deps.config.drillNumber : (row.region_meldkamer ?? deps.config.meldkamerNumber),
      distanceM: row.distance_m,
      ref: { alert: row.alert_id },
    };
  }
  const code = regionOfPostcode(caller?.home_postcode) ?? deps.config.defaultRegion;
  const region = (await ivrQueries.region(deps.db, code)).rows[0];
  return {
    ...base,
    deliveryId: null,
    regionCode: code,
    regionName: region?.name ?? code,
    meldkamerNumber: region?.meldkamer_number ?? deps.config.meldkamerNumber,
    distanceM: null,
    ref: { general: "1" },
  };
}

/** Rebuilds the context an action URL names. */
export function contextFromQuery(
  deps: ContextDeps,
  query: Record<string, string | undefined>,
  params: Record<string, string>,
) {
  if (query.delivery !== undefined) return deliveryContext(deps, Number(query.delivery));
  return callerContext(deps, params.From, query.alert);
}
