import { elementsOf, type XmlElement } from "../twiml-parser.ts";
import { speechSeconds } from "../personas.ts";
import type { PersonaAction } from "../types.ts";
import type { Params } from "../webhook-client.ts";
import { speechModelProblem } from "../../twilio/speech-models.ts";
import { pause } from "./pause.ts";
import { play } from "./play.ts";
import { GATHER_SAY_VOICE_WARNING, sayWith } from "./say.ts";
import { BargeIn, CallStop, NEXT, TwimlError, methodAttr, numberAttr, type Verb, type VerbContext } from "./verb.ts";

// Twilio allows only these inside <Gather>; anything else (a <Gather> in a <Gather> too) is a document error.
const NESTED: Readonly<Record<string, Verb>> = { Say: sayWith(GATHER_SAY_VOICE_WARNING), Play: play, Pause: pause };

export const gather: Verb = async (ctx, el) => {
  const input = inputModes(el);
  const timeout = numberAttr(el, "timeout", 5);
  const numDigits = el.attrs.numDigits === undefined ? undefined : numberAttr(el, "numDigits", 1);
  const finishOnKey = el.attrs.finishOnKey ?? "#";
  const action = el.attrs.action ? ctx.resolveUrl(el.attrs.action) : ctx.documentUrl;
  const method = methodAttr(el);
  const nested = elementsOf(el);
  for (const child of nested) {
    if (!NESTED[child.name]) throw new TwimlError(12100, `<${child.name}> is not allowed inside <Gather>`);
  }
  if (input.speech) checkSpeech(ctx, el);

  const barged = await playPrompt(ctx, nested, input);
  const act = ctx.nextAction();
  let params: Params | undefined;
  if ("hangup" in act) {
    await ctx.spend(act.afterSeconds ?? 0);
    throw new CallStop("citizen");
  } else if ("digits" in act && input.dtmf) {
    await ctx.spend(barged ? 0.3 * (act.digits.length - 1) : (act.afterSeconds ?? 1 + 0.3 * act.digits.length));
    ctx.log({ kind: "pressed", digits: act.digits });
    const { digits, finishedOnKey } = collectDigits(act.digits, numDigits, finishOnKey);
    if (digits !== "") params = finishedOnKey ? { Digits: digits, FinishedOnKey: finishedOnKey } : { Digits: digits };
  } else if ("speech" in act && input.speech) {
    await ctx.spend(barged ? speechSeconds(act.speech) : (act.afterSeconds ?? 0.5 + speechSeconds(act.speech)));
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

/**
 * Plays the nested verbs. A citizen whose next answer comes `duringPrompt` seconds in (a key the Gather takes, or
 * speech it listens for) interrupts them there, as on Twilio; returns whether that happened.
 */
async function playPrompt(
  ctx: VerbContext,
  nested: XmlElement[],
  input: { dtmf: boolean; speech: boolean },
): Promise<boolean> {
  const next = ctx.peekAction();
  const at = bargeInOffset(next, input);
  ctx.bargeInAt = at === undefined ? undefined : ctx.elapsed + at;
  try {
    for (const child of nested) await NESTED[child.name](ctx, child);
    return false;
  } catch (err) {
    if (err instanceof BargeIn) return true;
    throw err;
  } finally {
    ctx.bargeInAt = undefined;
  }
}

function bargeInOffset(act: PersonaAction, input: { dtmf: boolean; speech: boolean }): number | undefined {
  if ("digits" in act && input.dtmf) return act.duringPrompt;
  if ("speech" in act && input.speech) return act.duringPrompt;
  return undefined;
}

/** Twilio's warnings for speech recognition it cannot run as asked (the Gather still listens). */
function checkSpeech(ctx: VerbContext, el: XmlElement): void {
  const model = el.attrs.speechModel;
  const language = el.attrs.language ?? "en-US";
  if (model === undefined) return;
  const problem = speechModelProblem(model, language);
  if (problem) ctx.warn(problem.code, `Gather: ${problem.message}`);
  if (el.attrs.speechTimeout === "auto")
    ctx.warn(13335, `Gather: speechTimeout "auto" cannot be used with speechModel "${model}"`);
}

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
