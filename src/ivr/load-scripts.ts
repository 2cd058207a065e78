import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { VOICE_SCRIPTS_DIR } from "../languages/fallback.js";
import { FALLBACK_LANGUAGE, SCRIPT_LOCALES, isLanguage, languageOfLocale } from "../languages/languages.js";
import { checkScript } from "./check-script.js";
import type { VoiceScript, VoiceScripts } from "./script-types.js";

export { VOICE_SCRIPTS_DIR };

/** A script the service must not start with; the message names the file and the JSON path. */
export class VoiceScriptError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${file}: ${path} ${problem}`);
    this.name = "VoiceScriptError";
  }
}

let validator: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  if (validator) return validator;
  const schema = JSON.parse(readFileSync(join(VOICE_SCRIPTS_DIR, "schema.json"), "utf8"));
  validator = new Ajv({ allErrors: false, strict: true }).compile(schema);
  return validator;
}

function describe(e: ErrorObject): string {
  switch (e.keyword) {
    case "additionalProperties":
      return `${e.message} (${(e.params as { additionalProperty: string }).additionalProperty})`;
    case "enum":
      return `${e.message}: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`;
    default:
      return e.message ?? e.keyword;
  }
}

/** Checks one parsed script against the schema and the flow's rules; `file` only names it in errors. */
export function validateVoiceScript(data: unknown, file: string): VoiceScript {
  const validate = schemaValidator();
  if (!validate(data)) {
    const e = validate.errors![0];
    throw new VoiceScriptError(file, e.instancePath || "/", describe(e));
  }
  const problem = checkScript(data as VoiceScript);
  if (problem) throw new VoiceScriptError(file, problem.path, problem.message);
  return data as VoiceScript;
}

export function loadVoiceScriptFile(path: string): VoiceScript {
  const file = relative(process.cwd(), path) || path;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new VoiceScriptError(file, "/", `is not valid JSON (${(err as Error).message})`);
  }
  return validateVoiceScript(data, file);
}

/**
 * Loads every `<locale>.json` of a directory (nl-NL required; en-GB, de-DE, fr-FR, pl-PL, tr-TR, ar-XA, uk-UA as
 * src/languages/languages.ts names them). Throws a VoiceScriptError on the
 * first problem, so that a broken script stops the service at boot rather than in the middle of a call.
 */
export function loadVoiceScripts(dir: string = VOICE_SCRIPTS_DIR): VoiceScripts {
  const scripts: Partial<VoiceScripts> = {};
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".json") && f !== "schema.json")
    .sort();
  for (const name of files) {
    const script = loadVoiceScriptFile(join(dir, name));
    const file = relative(process.cwd(), join(dir, name));
    if (`${script.language}.json` !== name) {
      throw new VoiceScriptError(file, "/language", `must match the file name (${name.slice(0, -5)})`);
    }
    const lang = languageOfLocale(script.language);
    if (!lang)
      throw new VoiceScriptError(file, "/language", `must be one of ${Object.values(SCRIPT_LOCALES).join(", ")}`);
    if (lang !== FALLBACK_LANGUAGE && !script.dutchFallback)
      throw new VoiceScriptError(file, "/", "must have dutchFallback: the sentence that introduces a Dutch alert text");
    scripts[lang] = script;
  }
  if (!scripts.nl)
    throw new VoiceScriptError(relative(process.cwd(), dir) || dir, "/", "has no Dutch script (nl-NL.json)");
  return scripts as VoiceScripts;
}

/** The script for a participant's language; Dutch when there is none for it. */
export function scriptFor(scripts: VoiceScripts, language: string | null | undefined): VoiceScript {
  return (isLanguage(language) ? scripts[language] : undefined) ?? scripts.nl;
}
