import { smsSegments } from "../rules/sms-segments.js";
import { checkFields, templateNamed, type FieldValue } from "./fields.js";
import { fieldsOf, parseSentence, renderSentence } from "./sentence.js";
import type { Templates } from "./types.js";

export interface TemplateInput {
  id: string;
  fields: Record<string, unknown>;
}

export interface FilledTemplate {
  kind: string;
  texts: Record<string, { voice: string; sms: string }>;
  /** Per language and channel, the fields whose values went into that text, longest value first. */
  origin: Record<string, { voice: string[]; sms: string[] }>;
}

/**
 * The fields in a sentence, the one most to blame for its length first: in an SMS a value that is not GSM-7 (it makes
 * the whole message UCS-2, 67 characters a part instead of 153), then the longest.
 */
function used(sentence: string, values: Record<string, FieldValue>, channel: "voice" | "sms"): string[] {
  const { always, inGroups } = fieldsOf(parseSentence(sentence));
  const ucs2 = (f: string) => (channel === "sms" && smsSegments(values[f].sms).encoding === "UCS-2" ? 1 : 0);
  return [...new Set([...always, ...inGroups])]
    .filter((f) => values[f])
    .sort((a, b) => ucs2(b) - ucs2(a) || values[b][channel].length - values[a][channel].length);
}

/** Every text of the template in every language it has sentences for, with the operator's values in them. */
export function fillTemplate(templates: Templates, input: TemplateInput): FilledTemplate {
  const t = templateNamed(templates, input.id);
  const values = checkFields(templates, t, input.fields);
  const perChannel = (channel: "voice" | "sms") =>
    Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v[channel]]));
  const texts: FilledTemplate["texts"] = {};
  const origin: FilledTemplate["origin"] = {};
  for (const [lang, file] of templates.languages) {
    const s = file.templates[t.id];
    texts[lang] = {
      voice: renderSentence(parseSentence(s.voice), perChannel("voice")),
      sms: renderSentence(parseSentence(s.sms), perChannel("sms")),
    };
    origin[lang] = { voice: used(s.voice, values, "voice"), sms: used(s.sms, values, "sms") };
  }
  return { kind: t.kind, texts, origin };
}
