import { elementsOf, type XmlElement } from "../twiml-parser.ts";
import { speechSeconds } from "../personas.ts";
import type { Params } from "../webhook-client.ts";
import { pause } from "./pause.ts";
import { play } from "./play.ts";
import { say } from "./say.ts";
import { CallStop, NEXT, TwimlError, methodAttr, numberAttr, type Verb } from "./verb.ts";

const NESTED: Readonly<Record<string, Verb>> = { Say: say, Play: play, Pause: pause };

export const gather: Verb = async (ctx, el) => {
  const input = inputModes(el);
  const timeout = numberAttr(el, "timeout", 5);
  const numDigits = el.attrs.numDigits === undefined ? undefined : numberAttr(el, "numDigits", 1);
  const finishOnKey = el.attrs.finishOnKey ?? "#";
  const action = el.attrs.action ? ctx.resolveUrl(el.attrs.action) : ctx.documentUrl;
  const method = methodAttr(el);

  for (const child of elementsOf(el)) {
    const verb = NESTED[child.name];
    if (!verb) throw new TwimlError(12100, `<${child.name}> is not allowed inside <Gather>`);
    await verb(ctx, child);
  }

  const act = ctx.nextAction();
  let params: Params | undefined;
  if ("hangup" in act) {
    await ctx.spend(act.afterSeconds ?? 0);
    throw new CallStop("citizen");
  } else if ("digits" in act && input.dtmf) {
    await ctx.spend(act.afterSeconds ?? 1 + 0.3 * act.digits.length);
    ctx.log({ kind: "pressed", digits: act.digits });
    const { digits, finishedOnKey } = collectDigits(act.digits, numDigits, finishOnKey);
    if (digits !== "") params = finishedOnKey ? { Digits: digits, FinishedOnKey: finishedOnKey } : { Digits: digits };
  } else if ("speech" in act && input.speech) {
    await ctx.spend(act.afterSeconds ?? 0.5 + speechSeconds(act.speech));
    const confidence = act.confidence ?? 0.9;
    ctx.log({ kind: "spoke", speech: act.speech, confidence });
    params = { SpeechResult: act.speech, Confidence: String(confidence) };
  } else {
    await ctx.spend(timeout);
    ctx.log({ kind: "silence" });
  }

  if (action === undefined) return NEXT;
  if (params) return { kind: "goto", goto: { url: action, method, params } };
  // Without input Twilio moves on to the next verb, unless asked to report the empty result.
  if (el.attrs.actionOnEmptyResult === "true") return { kind: "goto", goto: { url: action, method, params: {} } };
  return NEXT;
};

function inputModes(el: XmlElement): { dtmf: boolean; speech: boolean } {
  const modes = (el.attrs.input ?? "dtmf").trim().split(/\s+/);
  for (const m of modes) if (m !== "dtmf" && m !== "speech") throw new TwimlError(12100, `invalid Gather input "${m}"`);
  return { dtmf: modes.includes("dtmf"), speech: modes.includes("speech") };
}

function collectDigits(
  pressed: string,
  numDigits: number | undefined,
  finishOnKey: string,
): { digits: string; finishedOnKey?: string } {
  let digits = pressed;
  let finishedOnKey: string | undefined;
  const stop = finishOnKey === "" ? -1 : digits.indexOf(finishOnKey);
  if (stop >= 0) {
    digits = digits.slice(0, stop);
    finishedOnKey = finishOnKey;
  }
  if (numDigits !== undefined && digits.length >= numDigits) {
    digits = digits.slice(0, numDigits);
    finishedOnKey = undefined;
  }
  return { digits, finishedOnKey };
}
