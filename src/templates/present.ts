import type { Templates } from "./types.js";

/** GET /v1/templates: each template with its kind, typed fields, labels and sentences per language. */
export function presentTemplates(templates: Templates) {
  const { definitions, languages } = templates;
  const langs = [...languages.keys()];
  return {
    languages: langs,
    templates: definitions.templates.map((t) => ({
      id: t.id,
      kind: t.kind,
      title: Object.fromEntries(langs.map((l) => [l, languages.get(l)!.templates[t.id].title])),
      fields: [...t.required, ...t.optional].map((name) => ({
        name,
        ...definitions.fields[name],
        required: t.required.includes(name),
        label: Object.fromEntries(langs.map((l) => [l, languages.get(l)!.fields[name]])),
      })),
      sentences: Object.fromEntries(
        langs.map((l) => {
          const s = languages.get(l)!.templates[t.id];
          return [l, { voice: s.voice, sms: s.sms }];
        }),
      ),
    })),
  };
}
