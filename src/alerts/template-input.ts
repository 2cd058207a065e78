import { Errors, withDetails } from "../errors.js";
import { SPELL_MARKUP, spokenSeconds } from "../rules/spoken-length.js";
import { fillTemplate, type FilledTemplate, type TemplateInput } from "../templates/fill.js";
import type { Templates } from "../templates/types.js";
import { smsInfo, type AlertInput } from "./input.js";
import { languageOr } from "../languages/languages.js";
import { MAX_SMS_SEGMENTS, outgoingSmsSegments } from "../rules/sms-segments.js";

/** What POST /v1/alerts (and preview) take: texts written out, or a template with its fields, or both. */
export interface AlertRequest extends Omit<AlertInput, "kind" | "texts"> {
  kind?: string;
  texts?: AlertInput["texts"];
  template?: TemplateInput;
}

type Origin = FilledTemplate["origin"];

/** Longest voice text a call reads (the schema's limit for a text written out). */
export const MAX_VOICE_CHARACTERS = 1000;

/**
 * The alert as the operator means it: the template's texts in every language it has, each replaced by a language
 * the operator wrote out (the operator's edit wins); the kind from the template unless given.
 */
export function resolveRequest(req: AlertRequest, templates?: Templates): { input: AlertInput; origin: Origin } {
  if (!req.template) {
    if (!req.texts?.nl || !req.kind)
      throw withDetails(new Errors.Validation("kind and texts (with nl) are required without a template"), {
        path: !req.kind ? "body/kind" : req.texts ? "body/texts/nl" : "body/texts",
      });
    return { input: req as AlertInput, origin: {} };
  }
  if (!templates) throw withDetails(new Errors.Validation("No templates are loaded"), { path: "body/template" });
  const filled = fillTemplate(templates, req.template);
  const texts = { ...withoutOverlong(filled.texts), ...(req.texts ?? {}) };
  const origin = Object.fromEntries(Object.entries(filled.origin).filter(([lang]) => !req.texts?.[lang]));
  const { template: _template, ...rest } = req;
  return { input: { ...rest, kind: req.kind ?? filled.kind, texts } as AlertInput, origin };
}

/**
 * A template's text in a language other than Dutch that the operator's values make too long (an SMS over 3
 * segments: 201 characters in Arabic or Ukrainian, 459 in Dutch) is left out rather than refusing the alert: its
 * participants get the Dutch text, introduced in their language (src/alerts/fallback.ts checks that one fits).
 */
function withoutOverlong(texts: Record<string, { voice: string; sms: string }>) {
  return Object.fromEntries(
    Object.entries(texts).filter(
      ([lang, t]) =>
        lang === "nl" ||
        (t.voice.length <= MAX_VOICE_CHARACTERS &&
          outgoingSmsSegments(t.sms, languageOr(lang)).segments <= MAX_SMS_SEGMENTS),
    ),
  );
}

function tooLong(err: unknown, fields: string[] | undefined): never {
  if (fields?.length) {
    const e = err as Error & { details?: Record<string, unknown> };
    e.message = `${e.message}: the template field ${fields[0]} makes it too long`;
    e.details = { ...e.details, field: fields[0], fields };
  }
  throw err;
}

/**
 * The texts' SMS segments (3 at most) and voice length, checked: a text a template filled that is too long names
 * the field that made it so (the longest value in it first).
 */
export function checkTexts(input: AlertInput, origin: Origin) {
  for (const [lang, t] of Object.entries(input.texts)) {
    // An edited plate whose markup no longer fits would be read out as markup, "less than say-as…".
    if (/<\/?say-as\b/i.test(t.voice.replace(SPELL_MARKUP, "")))
      throw withDetails(
        new Errors.Validation(
          `The ${lang} voice text spells only with <say-as interpret-as="spell-out">…</say-as> around capitals, ` +
            "digits and dashes (as a template writes a licence plate, e.g. 12-ABC-3)",
        ),
        { path: `body/texts/${lang}/voice` },
      );
    if (t.voice.length > MAX_VOICE_CHARACTERS)
      tooLong(
        withDetails(
          new Errors.Validation(`The ${lang} voice text is ${t.voice.length} characters; at most 1000 are allowed`),
          { path: `body/texts/${lang}/voice`, characters: t.voice.length },
        ),
        origin[lang]?.voice,
      );
  }
  try {
    return smsInfo(input);
  } catch (err) {
    const path = (err as { details?: { path?: string } }).details?.path ?? "";
    const lang = /^body\/texts\/([^/]+)\/sms$/.exec(path)?.[1];
    return tooLong(err, lang ? origin[lang]?.sms : undefined);
  }
}

/** Every language's texts as they will go out: SMS segments and the voice text's spoken length (an estimate). */
export function textsPreview(input: AlertInput, sms: ReturnType<typeof smsInfo>) {
  return Object.fromEntries(
    Object.entries(input.texts).map(([lang, t]) => [
      lang,
      { voice: t.voice, sms: t.sms, smsSegments: sms[lang], spokenSeconds: spokenSeconds(t.voice) },
    ]),
  );
}
