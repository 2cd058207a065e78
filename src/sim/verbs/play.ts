import { intern } from "../intern.ts";
import { textOf } from "../twiml-parser.ts";
import { NEXT, loopCount, type Verb } from "./verb.ts";

/** Audio length is unknown without fetching it; a typical prompt lasts about this long. */
const PLAY_SECONDS = 5;

export const play: Verb = async (ctx, el) => {
  const digits = el.attrs.digits;
  const url = textOf(el).trim();
  const loops = loopCount(el.attrs.loop);
  for (let i = 0; i < loops; i++) {
    const entry = ctx.log({ kind: "play", url: intern(url ? ctx.resolveUrl(url) : `digits:${digits ?? ""}`) });
    await ctx.hear(entry, url ? PLAY_SECONDS : 0.5);
  }
  return NEXT;
};
