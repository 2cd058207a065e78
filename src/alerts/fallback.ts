import { Errors, withDetails } from "../errors.js";
import { dutchFallback } from "../languages/fallback.js";
import { FALLBACK_LANGUAGE, LANGUAGES, type Language } from "../languages/languages.js";
import { withPresenceQuestion } from "../presence/sms-question.js";
import { MAX_SMS_SEGMENTS, smsBody, smsSegments, type SegmentInfo } from "../rules/sms-segments.js";
import type { LanguageCounts } from "./targeting.js";

type Texts = Record<string, { voice: string; sms: string } | undefined>;

export interface FallbackLanguage extends LanguageCounts {
  /** The SMS they get: the Dutch text introduced in their language, as it goes out. */
  smsText?: SegmentInfo;
}

/** Who gets the Dutch text because the alert has none in their language: in all, and per language. */
export interface Fallback {
  participants: number;
  byLanguage: Partial<Record<Language, FallbackLanguage>>;
}

/**
 * Participants reached in a language the alert has no text in get the Dutch text, introduced by one sentence of
 * their own (their voice script's `dutchFallback`): counted here per language, with the SMS as it goes out.
 */
export function fallbackFigures(
  texts: Texts,
  byLanguage: Partial<Record<Language, LanguageCounts>>,
  channels: readonly string[],
  askPresence = false,
): Fallback {
  const out: Fallback = { participants: 0, byLanguage: {} };
  for (const lang of LANGUAGES) {
    const counts = byLanguage[lang];
    if (lang === FALLBACK_LANGUAGE || !counts || texts[lang]) continue;
    const entry: FallbackLanguage = { ...counts };
    if (channels.includes("sms") && texts.nl)
      // As src/dispatch/submit.ts builds it: the presence question comes in their language, which may make it UCS-2.
      entry.smsText = smsSegments(
        withPresenceQuestion(smsBody(texts.nl.sms, lang, { intro: dutchFallback(lang)?.sms }), lang, askPresence),
      );
    out.byLanguage[lang] = entry;
    out.participants += counts.participants;
  }
  return out;
}

/**
 * The 3-segment cap holds for the introduced Dutch text too: an introduction in Arabic or Ukrainian makes the whole
 * SMS UCS-2 (67 characters a part). Refused only when someone would get it; the operator can add a text in that
 * language or shorten the Dutch one.
 */
export function refuseLongFallbacks(fallback: Fallback) {
  for (const [lang, f] of Object.entries(fallback.byLanguage)) {
    if (!f.sms || !f.smsText || f.smsText.segments <= MAX_SMS_SEGMENTS) continue;
    throw withDetails(
      new Errors.Validation(
        `The Dutch SMS text, introduced in ${lang} for ${f.sms} participants without a ${lang} text, needs ` +
          `${f.smsText.segments} segments; at most ${MAX_SMS_SEGMENTS} are allowed: add a ${lang} text or shorten ` +
          "the Dutch one",
      ),
      { path: `body/texts/${lang}`, language: lang, participants: f.sms, ...f.smsText },
    );
  }
}
