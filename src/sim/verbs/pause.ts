import { NEXT, numberAttr, type Verb } from "./verb.ts";

export const pause: Verb = async (ctx, el) => {
  const seconds = numberAttr(el, "length", 1);
  ctx.log({ kind: "pause", seconds });
  await ctx.spend(seconds);
  return NEXT;
};
