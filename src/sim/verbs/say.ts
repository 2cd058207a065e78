import { intern } from "../intern.ts";
import { textOf } from "../twiml-parser.ts";
import { speechSeconds } from "../personas.ts";
import { NEXT, loopCount, type Verb } from "./verb.ts";

export const say: Verb = async (ctx, el) => {
  const text = intern(textOf(el).replace(/\s+/g, " ").trim());
  const loops = loopCount(el.attrs.loop);
  for (let i = 0; i < loops; i++) {
    const entry = ctx.log({ kind: "say", text, ...voiceOf(el.attrs) });
    await ctx.hear(entry, Math.max(0.5, speechSeconds(text)));
  }
  return NEXT;
};

function voiceOf(attrs: Record<string, string>): { language?: string; voice?: string } {
  const out: { language?: string; voice?: string } = {};
  if (attrs.language) out.language = intern(attrs.language);
  if (attrs.voice) out.voice = intern(attrs.voice);
  return out;
}
