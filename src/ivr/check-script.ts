import { speechModelProblem } from "../twilio/speech-models.js";
import { voiceProblem } from "../twilio/voices.js";
import { isPlaceholder, placeholdersIn } from "./placeholders.js";
import type {
  AnyStepName,
  MenuName,
  OptionalSmsName,
  Placeholder,
  ScriptVerb,
  SmsName,
  VoiceScript,
} from "./script-types.js";
import { MENU_CHOICES, PICK_VARS, SMS_VARS, STEP_RULES } from "./step-rules.js";

export interface ScriptProblem {
  path: string;
  message: string;
}

const INPUT_VERBS = new Set(["menu", "pick", "ask", "dial", "record"]);

function checkText(text: string, path: string, allowed: Placeholder[]): ScriptProblem | undefined {
  for (const name of placeholdersIn(text)) {
    if (!isPlaceholder(name)) return { path, message: `uses the unknown placeholder {${name}}` };
    if (name !== "callbackNumber" && !allowed.includes(name)) return { path, message: `cannot use {${name}} here` };
  }
  return undefined;
}

function verbName(verb: ScriptVerb): string {
  return Object.keys(verb)[0];
}

function checkStep(name: AnyStepName, verbs: ScriptVerb[]): ScriptProblem | undefined {
  const rule = STEP_RULES[name];
  const base = `/steps/${name}`;
  const inputs = verbs.map((v, i) => ({ verb: verbName(v), i })).filter(({ verb }) => INPUT_VERBS.has(verb));
  if (!rule.input && inputs.length)
    return { path: `${base}/${inputs[0].i}`, message: `cannot ask for input (${inputs[0].verb}) in this step` };
  if (rule.input && (inputs.length !== 1 || inputs[0].verb !== rule.input))
    return { path: base, message: `must contain exactly one ${rule.input}` };
  for (const [i, verb] of verbs.entries()) {
    const path = `${base}/${i}`;
    const last = i === verbs.length - 1;
    if ("menu" in verb && verb.menu !== rule.menu) return { path: `${path}/menu`, message: `must be "${rule.menu}"` };
    if ("ask" in verb && verb.ask.input !== rule.ask)
      return { path: `${path}/ask/input`, message: `must be "${rule.ask}"` };
    // Whatever follows a gather or a dial is never heard: their action takes the call elsewhere.
    if (("menu" in verb || "pick" in verb || "ask" in verb || "dial" in verb) && !last) {
      return { path, message: "must be the last verb of its step" };
    }
    const texts: Array<[string, string, Placeholder[]]> = [];
    if ("say" in verb) texts.push([verb.say, `${path}/say`, rule.vars ?? []]);
    if ("ask" in verb) texts.push([verb.ask.prompt, `${path}/ask/prompt`, rule.vars ?? []]);
    if ("pick" in verb) texts.push([verb.pick.item, `${path}/pick/item`, PICK_VARS]);
    for (const [text, at, allowed] of texts) {
      const problem = checkText(text, at, allowed);
      if (problem) return problem;
    }
  }
  return undefined;
}

function checkMenu(name: MenuName, script: VoiceScript): ScriptProblem | undefined {
  const menu = script.menus[name]!;
  const base = `/menus/${name}`;
  if (menu.prompt) {
    const problem = checkText(menu.prompt, `${base}/prompt`, []);
    if (problem) return problem;
  }
  const keys = new Map<string, number>();
  for (const [i, option] of menu.options.entries()) {
    if (keys.has(option.key))
      return {
        path: `${base}/options/${i}/key`,
        message: `repeats key ${option.key} of option ${keys.get(option.key)}`,
      };
    keys.set(option.key, i);
    const problem = checkText(option.say, `${base}/options/${i}/say`, []);
    if (problem) return problem;
  }
  for (const choice of MENU_CHOICES[name]) {
    if (!menu.options.some((o) => o.choice === choice))
      return { path: `${base}/options`, message: `must offer the choice "${choice}"` };
  }
  return undefined;
}

/** What Twilio would refuse: a voice that does not speak the script's language, a model that does not hear it. */
function checkTwilio(script: VoiceScript): ScriptProblem | undefined {
  const voice = voiceProblem(script.voice, script.language);
  if (voice) return { path: "/voice", message: `${voice} (see src/twilio/voices.ts)` };
  if (script.speech.language !== script.language && !script.speech.language.startsWith(script.language.slice(0, 3)))
    return { path: "/speech/language", message: `must be a form of ${script.language}` };
  const model =
    script.speech.model === null ? undefined : speechModelProblem(script.speech.model, script.speech.language);
  if (model) return { path: "/speech/model", message: `${model.message} (see src/twilio/speech-models.ts)` };
  return undefined;
}

/**
 * The rules a JSON Schema cannot express: Twilio's voices and speech models, placeholders per step, where input
 * verbs go, what each menu offers.
 */
export function checkScript(script: VoiceScript): ScriptProblem | undefined {
  const twilio = checkTwilio(script);
  if (twilio) return twilio;
  for (const name of Object.keys(script.menus) as MenuName[]) {
    const problem = checkMenu(name, script);
    if (problem) return problem;
  }
  // The presence question comes whole or not at all: its step, its menu and the step that ends a "no" call.
  const presenceParts = [script.steps.presenceCheck, script.steps.presenceAway, script.menus.presence];
  if (presenceParts.some(Boolean) && !presenceParts.every(Boolean))
    return { path: "/steps/presenceCheck", message: "needs presenceCheck, presenceAway and menus/presence together" };
  for (const [name, verbs] of Object.entries(script.steps) as Array<[AnyStepName, ScriptVerb[]]>) {
    const problem = checkStep(name, verbs);
    if (problem) return problem;
  }
  if (script.dutchFallback) {
    const problem =
      checkText(script.dutchFallback.say, "/dutchFallback/say", []) ??
      checkText(script.dutchFallback.sms, "/dutchFallback/sms", []);
    if (problem) return problem;
  }
  for (const [name, text] of Object.entries(script.sms) as Array<[SmsName | OptionalSmsName, string]>) {
    const problem = checkText(text, `/sms/${name}`, SMS_VARS[name] ?? []);
    if (problem) return problem;
  }
  return undefined;
}
