import { Errors, withDetails } from "../errors.js";
import { parseLicencePlate, spokenPlateMarkup } from "./licence-plate.js";
import type { FieldDef, TemplateDef, Templates } from "./types.js";

/** A field's value as each channel writes it (a plate is spelled in a call and written with dashes in an SMS). */
export interface FieldValue {
  voice: string;
  sms: string;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
// Markup and template syntax stay out of values: a value is never read as SSML or as another placeholder.
const FORBIDDEN = /[<>{}[\]\p{Cc}]/u;

function fieldError(name: string, message: string, extra: Record<string, unknown> = {}) {
  return withDetails(new Errors.Validation(`Template field ${name}: ${message}`), {
    path: `body/template/fields/${name}`,
    field: name,
    ...extra,
  });
}

function checkValue(name: string, def: FieldDef, raw: unknown): FieldValue {
  switch (def.type) {
    case "integer": {
      if (typeof raw !== "number" || !Number.isInteger(raw))
        throw fieldError(name, "must be a whole number", { type: "integer" });
      if ((def.minimum !== undefined && raw < def.minimum) || (def.maximum !== undefined && raw > def.maximum))
        throw fieldError(name, `must be between ${def.minimum} and ${def.maximum}`, { type: "integer" });
      return { voice: String(raw), sms: String(raw) };
    }
    case "time": {
      if (typeof raw !== "string" || !TIME.test(raw.trim()))
        throw fieldError(name, "must be a time of day as hh:mm (24 hours)", { type: "time" });
      return { voice: raw.trim(), sms: raw.trim() };
    }
    case "licencePlate": {
      const plate = typeof raw === "string" ? parseLicencePlate(raw) : null;
      if (!plate)
        throw fieldError(name, "must be a Dutch licence plate (RDW sidecodes 1–14, e.g. 12-ABC-3)", {
          type: "licencePlate",
        });
      return { voice: spokenPlateMarkup(plate), sms: plate.written };
    }
    case "text": {
      if (typeof raw !== "string") throw fieldError(name, "must be text", { type: "text" });
      const text = raw
        .replace(/\s+/g, " ")
        .trim()
        .replace(/[.!]+$/, "");
      if (!text) throw fieldError(name, "must not be empty", { type: "text" });
      if (def.maxLength !== undefined && text.length > def.maxLength)
        throw fieldError(name, `must be at most ${def.maxLength} characters`, { type: "text" });
      if (FORBIDDEN.test(text)) throw fieldError(name, "must not contain < > { } [ ] or control characters");
      return { voice: text, sms: text };
    }
  }
}

/** The template an alert names, or a 400 naming `template/id`. */
export function templateNamed(templates: Templates, id: string): TemplateDef {
  const t = templates.definitions.templates.find((d) => d.id === id);
  if (!t)
    throw withDetails(new Errors.Validation(`Unknown template "${id}"`), {
      path: "body/template/id",
      allowed: templates.definitions.templates.map((d) => d.id),
    });
  return t;
}

/**
 * The operator's field values checked against the template: an unknown field, a value of the wrong type and a
 * required field left out each answer 400 naming the field. An empty string counts as not given.
 */
export function checkFields(templates: Templates, t: TemplateDef, fields: Record<string, unknown>) {
  const values: Record<string, FieldValue> = {};
  for (const [name, raw] of Object.entries(fields)) {
    if (![...t.required, ...t.optional].includes(name))
      throw fieldError(name, `is not a field of the template "${t.id}"`, {
        allowed: [...t.required, ...t.optional],
      });
    if (raw === "" || raw === null) continue;
    values[name] = checkValue(name, templates.definitions.fields[name], raw);
  }
  for (const name of t.required) if (!values[name]) throw fieldError(name, "is required");
  return values;
}
