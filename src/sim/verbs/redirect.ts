import { textOf } from "../twiml-parser.ts";
import { TwimlError, methodAttr, type Verb } from "./verb.ts";

export const redirect: Verb = async (ctx, el) => {
  const target = textOf(el).trim();
  if (!target) throw new TwimlError(12100, "<Redirect> without a URL");
  const url = ctx.resolveUrl(target);
  ctx.log({ kind: "redirect", url });
  return { kind: "goto", goto: { url, method: methodAttr(el) } };
};
