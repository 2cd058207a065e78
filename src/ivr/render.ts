import twilio from "twilio";
import type { AnyStepName, ScriptVerb, VerbName, VerbSpecs, VoiceScript } from "./script-types.js";
import { VERB_RENDERERS, type RenderContext } from "./verbs.js";

function renderVerb<K extends VerbName>(
  out: twilio.twiml.VoiceResponse,
  name: K,
  spec: VerbSpecs[K],
  ctx: RenderContext,
  script: VoiceScript,
) {
  VERB_RENDERERS[name](out, spec, ctx, script);
}

const GATHERS = new Set<string>(["menu", "pick", "ask"]);
const LEADS = new Set<string>(["say", "pause"]);
const nameOf = (verb: ScriptVerb) => Object.keys(verb)[0] as VerbName;

function renderOne(out: twilio.twiml.VoiceResponse, verb: ScriptVerb, ctx: RenderContext, script: VoiceScript) {
  const name = nameOf(verb);
  renderVerb(out, name, (verb as Record<VerbName, VerbSpecs[VerbName]>)[name], ctx, script);
}

/**
 * Renders script steps, in order, to one TwiML document. The says and pauses that end a step just before its gather
 * go inside that `<Gather>`: Twilio takes a key pressed while they play at once (barge-in).
 */
export function renderSteps(script: VoiceScript, steps: AnyStepName[], ctx: RenderContext): string {
  const out = new twilio.twiml.VoiceResponse();
  for (const step of steps) {
    const verbs = script.steps[step] as ScriptVerb[];
    const last = verbs.length - 1;
    let leadFrom = last;
    if (last >= 0 && GATHERS.has(nameOf(verbs[last])))
      while (leadFrom > 0 && LEADS.has(nameOf(verbs[leadFrom - 1]))) leadFrom--;
    else leadFrom = verbs.length;
    for (const verb of verbs.slice(0, leadFrom)) renderOne(out, verb, ctx, script);
    if (leadFrom <= last) renderOne(out, verbs[last], { ...ctx, lead: verbs.slice(leadFrom, last) }, script);
  }
  return out.toString();
}
