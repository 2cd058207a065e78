import type { Verb } from "./verb.ts";

export const hangup: Verb = async (ctx) => {
  ctx.log({ kind: "hangup", by: "service" });
  return { kind: "end", status: "completed", by: "service" };
};

export const reject: Verb = async (ctx, el) => {
  const reason = el.attrs.reason === "busy" ? "busy" : "rejected";
  ctx.log({ kind: "reject", reason });
  return { kind: "end", status: reason === "busy" ? "busy" : "no-answer", by: "service" };
};
