import { api } from "./api.js";
import { clear, h, uid } from "./dom.js";
import { errorSlot } from "./errors.js";
import { lang } from "./i18n.js";
import { tx } from "./i18n-extra.js";
import { parseSentence, renderSentence } from "../../src/templates/sentence.js";
import { parseLicencePlate, spokenPlateMarkup } from "../../src/templates/licence-plate.js";

export interface TemplateField {
  name: string;
  type: "text" | "integer" | "time" | "licencePlate";
  required: boolean;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  label: Record<string, string>;
}

export interface Template {
  id: string;
  kind: string;
  title: Record<string, string>;
  fields: TemplateField[];
  sentences: Record<string, { voice: string; sms: string }>;
}

const INPUT_TYPE = { text: "text", integer: "number", time: "time", licencePlate: "text" } as const;

/** A value as each channel writes it; the service checks it again (and names a wrong field in its 400). */
function channelValue(f: TemplateField, raw: string, channel: "voice" | "sms"): string | undefined {
  const v = raw.trim();
  if (!v) return undefined;
  if (f.type === "licencePlate") {
    const plate = parseLicencePlate(v);
    if (!plate) return v;
    return channel === "voice" ? spokenPlateMarkup(plate) : plate.written;
  }
  return f.type === "text" ? v.replace(/[.!]+$/, "") : v;
}

/**
 * The template picker and its fields. Typing fills the texts of every language (onTexts); the request carries
 * `template: { id, fields }` so that the service checks every field and names the one that is wrong.
 */
export function templateForm(onTexts: (texts: Record<string, { voice: string; sms: string }>, kind: string) => void) {
  let templates: Template[] = [];
  let chosen: Template | null = null;
  const inputs = new Map<string, HTMLInputElement>();
  const id = uid("template");
  const select = h("select", { id, name: "template", "aria-describedby": "err-template" });
  const fields = h("div", { class: "template-fields" });
  const el = h(
    "fieldset",
    { class: "template" },
    h("legend", {}, tx().template),
    h("div", { class: "field" }, h("label", { for: id }, tx().template), select, errorSlot("template")),
    fields,
  );

  function fill() {
    if (!chosen) return;
    const texts: Record<string, { voice: string; sms: string }> = {};
    for (const [l, s] of Object.entries(chosen.sentences)) {
      const values = (channel: "voice" | "sms") =>
        Object.fromEntries(
          chosen!.fields.flatMap((f) => {
            const v = channelValue(f, inputs.get(f.name)!.value, channel);
            return v === undefined ? [] : [[f.name, v]];
          }),
        );
      texts[l] = {
        voice: renderSentence(parseSentence(s.voice), values("voice")),
        sms: renderSentence(parseSentence(s.sms), values("sms")),
      };
    }
    onTexts(texts, chosen.kind);
  }

  function choose(templateId: string) {
    chosen = templates.find((t) => t.id === templateId) ?? null;
    inputs.clear();
    if (!chosen) return clear(fields);
    clear(
      fields,
      h("p", { class: "hint" }, tx().templateHint),
      ...chosen.fields.map((f) => {
        const fid = uid(`tf-${f.name}`);
        const input = h("input", {
          id: fid,
          name: `template-${f.name}`,
          type: INPUT_TYPE[f.type],
          required: f.required,
          maxlength: f.maxLength,
          min: f.minimum,
          max: f.maximum,
          autocomplete: "off",
          "aria-describedby": `err-template-${f.name}`,
        });
        input.addEventListener("input", fill);
        inputs.set(f.name, input);
        const label = `${f.label[lang] ?? f.label.nl}${f.required ? ` (${tx().required})` : ""}`;
        return h("div", { class: "field" }, h("label", { for: fid }, label), input, errorSlot(`template-${f.name}`));
      }),
    );
    fill();
  }
  select.addEventListener("change", () => choose(select.value));

  void api.get<{ templates: Template[] }>("/v1/templates").then((body) => {
    templates = body.templates;
    clear(
      select,
      h("option", { value: "" }, tx().noTemplate),
      ...templates.map((t) => h("option", { value: t.id }, t.title[lang] ?? t.title.nl)),
    );
  });

  return {
    el,
    /** `template: { id, fields }` for the request, or null without one. */
    value(): { id: string; fields: Record<string, string | number> } | null {
      if (!chosen) return null;
      const out: Record<string, string | number> = {};
      for (const f of chosen.fields) {
        const v = inputs.get(f.name)!.value.trim();
        if (!v) continue;
        out[f.name] = f.type === "integer" && /^-?\d+$/.test(v) ? Number(v) : v;
      }
      return { id: chosen.id, fields: out };
    },
  };
}
