import twilio from "twilio";
import type { ScriptVerb, StepName, VerbName, VerbSpecs, VoiceScript } from "./script-types.js";
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

/** Renders script steps, in order, to one TwiML document. */
export function renderSteps(script: VoiceScript, steps: StepName[], ctx: RenderContext): string {
  const out = new twilio.twiml.VoiceResponse();
  for (const step of steps) {
    for (const verb of script.steps[step] as ScriptVerb[]) {
      const name = Object.keys(verb)[0] as VerbName;
      renderVerb(out, name, (verb as Record<VerbName, VerbSpecs[VerbName]>)[name], ctx, script);
    }
  }
  return out.toString();
}
