import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import { definitionsSchema, languageSchema } from "./file-schemas.js";
import { fieldsOf, parseSentence, SentenceError } from "./sentence.js";
import type { Definitions, LanguageFile, Templates } from "./types.js";

export const TEMPLATES_DIR = fileURLToPath(new URL("../../templates/", import.meta.url));
const DEFINITIONS = "definitions.json";

/** A template file the service must not start with; the message names the file and the JSON path. */
export class TemplateError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${file}: ${path} ${problem}`);
    this.name = "TemplateError";
  }
}

const ajv = new Ajv({ allErrors: false, strict: true, strictTuples: false });
let validators: { definitions: ValidateFunction; language: ValidateFunction } | undefined;

function readJson(path: string, validate: ValidateFunction): unknown {
  const file = relative(process.cwd(), path) || path;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new TemplateError(file, "/", `is not valid JSON (${(err as Error).message})`);
  }
  if (!validate(data)) {
    const e = validate.errors![0];
    const extra = e.keyword === "additionalProperties" ? ` (${String(e.params.additionalProperty)})` : "";
    throw new TemplateError(file, e.instancePath || "/", `${e.message ?? e.keyword}${extra}`);
  }
  return data;
}

function checkDefinitions(defs: Definitions, file: string): void {
  for (const [i, t] of defs.templates.entries()) {
    if (defs.templates.findIndex((o) => o.id === t.id) !== i)
      throw new TemplateError(file, `/templates/${i}/id`, `repeats the id "${t.id}"`);
    for (const name of [...t.required, ...t.optional]) {
      if (!defs.fields[name]) throw new TemplateError(file, `/templates/${i}`, `uses the unknown field "${name}"`);
      if (t.required.includes(name) && t.optional.includes(name))
        throw new TemplateError(file, `/templates/${i}`, `has "${name}" both required and optional`);
    }
  }
}

/** Every sentence of every template, for a language: present, well formed, and using exactly its own fields. */
function checkLanguage(defs: Definitions, lang: LanguageFile, file: string): void {
  for (const t of defs.templates) {
    const sentences = lang.templates[t.id];
    if (!sentences) throw new TemplateError(file, `/templates`, `has no sentences for the template "${t.id}"`);
    for (const name of [...t.required, ...t.optional])
      if (!lang.fields[name]) throw new TemplateError(file, "/fields", `has no label for the field "${name}"`);
    for (const channel of ["voice", "sms"] as const) {
      const path = `/templates/${t.id}/${channel}`;
      // Markup comes only from a typed value (a plate's spelling), never from a sentence.
      if (/[<>]/.test(sentences[channel])) throw new TemplateError(file, path, "must not contain < or >");
      let used: ReturnType<typeof fieldsOf>;
      try {
        used = fieldsOf(parseSentence(sentences[channel]));
      } catch (err) {
        if (err instanceof SentenceError) throw new TemplateError(file, path, err.message);
        throw err;
      }
      for (const name of [...used.always, ...used.inGroups])
        if (![...t.required, ...t.optional].includes(name))
          throw new TemplateError(file, path, `uses {${name}}, which is not a field of "${t.id}"`);
      for (const name of used.always)
        if (t.optional.includes(name))
          throw new TemplateError(file, path, `uses the optional field {${name}} outside [ ]`);
      for (const name of [...t.required, ...t.optional])
        if (![...used.always, ...used.inGroups].includes(name))
          throw new TemplateError(file, path, `leaves out the field {${name}}`);
    }
  }
  for (const id of Object.keys(lang.templates))
    if (!defs.templates.some((t) => t.id === id))
      throw new TemplateError(file, `/templates/${id}`, "is not a template of definitions.json");
}

/**
 * Loads templates/definitions.json and every templates/<language>.json (Dutch required), checking each against the
 * other; the first problem throws a TemplateError, so that a broken template stops the service at boot.
 */
export function loadTemplates(dir: string = TEMPLATES_DIR): Templates {
  validators ??= { definitions: ajv.compile(definitionsSchema), language: ajv.compile(languageSchema) };
  const name = (f: string) => relative(process.cwd(), join(dir, f)) || f;
  const definitions = readJson(join(dir, DEFINITIONS), validators.definitions) as Definitions;
  checkDefinitions(definitions, name(DEFINITIONS));
  const languages = new Map<string, LanguageFile>();
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".json") && f !== DEFINITIONS)
    .sort();
  for (const f of files) {
    const lang = readJson(join(dir, f), validators.language) as LanguageFile;
    if (`${lang.language}.json` !== f)
      throw new TemplateError(name(f), "/language", `must match the file name (${f.slice(0, -5)})`);
    const key = lang.language.slice(0, 2);
    if (languages.has(key)) throw new TemplateError(name(f), "/language", `is a second file for "${key}"`);
    checkLanguage(definitions, lang, name(f));
    languages.set(key, lang);
  }
  if (!languages.has("nl")) throw new TemplateError(relative(process.cwd(), dir) || dir, "/", "has no nl-NL.json");
  return { definitions, languages };
}
