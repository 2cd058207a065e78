import type { Principal } from "../access/keys.js";
import { Errors, withDetails } from "../errors.js";
import type { AreaInput } from "./area.js";
import { presenceCheckFor } from "../presence/defaults.js";

export { presenceCheckFor };
import { withPresenceQuestion } from "../presence/sms-question.js";
import type { Escalation } from "./queries.js";
import { drillText } from "../rules/drill.js";
import { MAX_SMS_SEGMENTS, outgoingSmsSegments, type SegmentInfo } from "../rules/sms-segments.js";
import { languageOr } from "../languages/languages.js";

/** What an operator asks for; checked here before anything is read or written. */
export interface AlertInput {
  kind: string;
  priority?: "normal" | "urgent";
  region?: string;
  texts: Record<string, { voice: string; sms: string }>;
  area: AreaInput;
  channels: string[];
  expiresInMinutes?: number;
  dispatch?: boolean;
  /** Ask "are you nearby now?" first (calls) and by reply (SMS); absent: as the kind says (presence/defaults.ts). */
  presenceCheck?: boolean;
  /** A drill reaches only those who opted in, and says so first. */
  mode?: "live" | "drill";
  escalation?: Escalation;
}

export function regionFor(principal: Principal, input: AlertInput): string {
  if (principal.role === "operator") {
    if (input.region && input.region !== principal.region)
      throw new Errors.Forbidden(`This API key is for region ${principal.region}`);
    return principal.region!;
  }
  if (!input.region)
    throw withDetails(new Errors.Validation("region is required for an admin key"), { path: "body/region" });
  return input.region;
}

/**
 * SMS texts, counted as they go out ("Burgernet: " and all): more than 3 segments is refused; the preview shows the
 * count and encoding per language.
 */
export function smsInfo(input: AlertInput) {
  const info: Record<string, SegmentInfo> = {};
  const ask = presenceCheckFor(input.kind, input.presenceCheck);
  for (const [lang, t] of Object.entries(input.texts)) {
    // With the presence question (and a drill's first sentence) it goes out too, and counts against the cap.
    const language = languageOr(lang);
    info[lang] = outgoingSmsSegments(
      withPresenceQuestion(drillText(t.sms, language, input.mode === "drill"), lang, ask),
      language,
    );
    // Voice-only alerts too: a text-only participant gets the SMS, and so does a call turned into one at night.
    if (info[lang].segments > MAX_SMS_SEGMENTS) {
      throw withDetails(
        new Errors.Validation(
          `The ${lang} SMS text needs ${info[lang].segments} segments${ask ? " with the presence question" : ""}; ` +
            `at most ${MAX_SMS_SEGMENTS} are allowed`,
        ),
        {
          path: `body/texts/${lang}/sms`,
          ...info[lang],
        },
      );
    }
  }
  return info;
}

/** The closing message goes out by SMS to everyone as it is written: the same 3-segment cap as the alert. */
export function closingSmsInfo(message: string) {
  {
    const info = outgoingSmsSegments(message);
    if (info.segments > MAX_SMS_SEGMENTS) {
      throw withDetails(
        new Errors.Validation(
          `The closing message needs ${info.segments} SMS segments; at most ${MAX_SMS_SEGMENTS} are allowed`,
        ),
        { path: "body/message", ...info },
      );
    }
  }
}
