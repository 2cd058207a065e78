import { intern } from "../intern.ts";
import { textOf, type XmlElement } from "../twiml-parser.ts";
import { speechSeconds } from "../personas.ts";
import { voiceProblem } from "../../twilio/voices.ts";
import { SAY_INVALID_TEXT, checkSsml } from "./ssml.ts";
import { NEXT, loopCount, type Verb, type VerbContext } from "./verb.ts";

/** Twilio's warning for a voice it does not have for the language: 13511 for <Say>, 13321 for <Gather><Say>. */
export const SAY_VOICE_WARNING = 13511;
export const GATHER_SAY_VOICE_WARNING = 13321;

/** A <Say>, checked against the voices Twilio offers (src/twilio/voices.ts); `warning` is the code to log. */
export function sayWith(warning: number): Verb {
  return async (ctx, el) => {
    const text = intern(textOf(el).replace(/\s+/g, " ").trim());
    checkVoice(ctx, el, warning);
    const ssml = checkSsml(el, el.attrs.voice);
    if (ssml.refused) {
      // As on Twilio: the Say fails with a warning and the call goes on without it.
      ctx.warn(SAY_INVALID_TEXT, `Say: Invalid text: ${ssml.refused}`);
      return NEXT;
    }
    const extra = {
      ...(ssml.spelled.length ? { spelled: ssml.spelled } : {}),
      ...(ssml.voiceFallback ? { voiceFallback: true } : {}),
    };
    const loops = loopCount(el.attrs.loop);
    for (let i = 0; i < loops; i++) {
      const entry = ctx.log({ kind: "say", text, ...voiceOf(el.attrs), ...extra });
      await ctx.hear(entry, Math.max(0.5, speechSeconds(text)));
    }
    return NEXT;
  };
}

export const say: Verb = sayWith(SAY_VOICE_WARNING);

function checkVoice(ctx: VerbContext, el: XmlElement, warning: number): void {
  const problem = voiceProblem(el.attrs.voice, el.attrs.language);
  // Twilio plays a fallback voice (or nothing) and logs the warning; the call goes on.
  if (problem) ctx.warn(warning, `Invalid voice value: ${problem}`);
}

function voiceOf(attrs: Record<string, string>): { language?: string; voice?: string } {
  const out: { language?: string; voice?: string } = {};
  if (attrs.language) out.language = intern(attrs.language);
  if (attrs.voice) out.voice = intern(attrs.voice);
  return out;
}
