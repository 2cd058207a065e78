import { voiceProblem } from "../../twilio/voices.ts";
import { DEFAULT_GREETING_SECONDS, DEFAULT_TALK_SECONDS, RING_SECONDS, speechSeconds } from "../personas.ts";
import { newSid } from "../sids.ts";
import { elementsOf, parseXml, textOf, type XmlElement } from "../twiml-parser.ts";
import type { DialStatus, Persona } from "../types.ts";
import { SAY_VOICE_WARNING } from "./say.ts";
import { CallStop, NEXT, TwimlError, methodAttr, numberAttr, type Verb, type VerbContext } from "./verb.ts";

export const dial: Verb = async (ctx, el) => {
  const number = dialledNumber(el);
  const timeout = numberAttr(el, "timeout", 30);
  const timeLimit = numberAttr(el, "timeLimit", 14_400);
  const action = el.attrs.action ? ctx.resolveUrl(el.attrs.action) : undefined;
  const method = methodAttr(el);
  const dialSid = newSid("CA");

  const { status, talk } = await ring(ctx, ctx.personaFor(number), timeout);
  if (status === "completed") await whisper(ctx, el, number, dialSid);
  const entry = ctx.log({ kind: "dial", number, status, seconds: 0 });
  const report = () => {
    const params: Record<string, string> = { DialCallStatus: status, DialCallSid: dialSid };
    if (status === "completed") params.DialCallDuration = String(entry.seconds);
    return params;
  };

  if (talk > 0) {
    const start = ctx.elapsed;
    try {
      await ctx.spend(Math.min(talk, timeLimit));
    } catch (err) {
      entry.seconds = Math.round(ctx.elapsed - start);
      if (err instanceof CallStop && err.reason === "citizen" && action) await ctx.notify(action, method, report());
      throw err;
    }
    entry.seconds = Math.round(ctx.elapsed - start);
  }
  if (action === undefined) return NEXT;
  return { kind: "goto", goto: { url: action, method, params: report() } };
};

/**
 * `<Number url>`: the answered party hears that TwiML's `<Say>`s before the caller is bridged. Their voices are held
 * to Twilio's table like any other (13511).
 */
async function whisper(ctx: VerbContext, el: XmlElement, number: string, dialSid: string): Promise<void> {
  const target = elementsOf(el).find((c) => c.name === "Number" && c.attrs.url);
  if (!target) return;
  // The child leg's parameters: it calls `number` from the Dial's callerId.
  const from = el.attrs.callerId ?? ctx.call.from;
  const params = {
    CallSid: dialSid,
    ParentCallSid: ctx.call.sid,
    AccountSid: ctx.call.accountSid,
    From: from,
    To: number,
  };
  const body = await ctx.fetchTwiml(ctx.resolveUrl(target.attrs.url), methodAttr(target), params);
  if (body === undefined) return;
  let doc: XmlElement;
  try {
    doc = parseXml(body);
  } catch {
    return;
  }
  for (const said of elementsOf(doc).filter((c) => c.name === "Say")) {
    const problem = voiceProblem(said.attrs.voice, said.attrs.language);
    if (problem) ctx.warn(SAY_VOICE_WARNING, `Invalid voice value: ${problem}`);
    const text = textOf(said).replace(/\s+/g, " ").trim();
    ctx.log({ kind: "whisper", number, text });
    await ctx.spend(Math.max(0.5, speechSeconds(text)));
  }
}

function dialledNumber(el: XmlElement): string {
  const children = elementsOf(el);
  let number: string;
  if (children.length === 0) number = textOf(el).trim();
  else {
    const unsupported = children.find((c) => c.name !== "Number");
    if (unsupported) throw new TwimlError(12100, `<Dial><${unsupported.name}> is not supported by the emulator`);
    number = textOf(children[0]).trim();
  }
  if (!number) throw new TwimlError(12100, "<Dial> without a number");
  return number;
}

/** The dialled party's phone rings and answers (or not) as its persona says. */
async function ring(
  ctx: VerbContext,
  persona: Persona,
  timeout: number,
): Promise<{ status: DialStatus; talk: number }> {
  switch (persona.answer) {
    case "failed":
    case "invalid":
      await ctx.spend(1);
      return { status: "failed", talk: 0 };
    case "busy":
      await ctx.spend(2);
      return { status: "busy", talk: 0 };
    case "no-answer":
      await ctx.spend(Math.min(persona.ringSeconds ?? timeout, timeout));
      return { status: "no-answer", talk: 0 };
    case "human":
    case "voicemail": {
      const ringSeconds = persona.ringSeconds ?? RING_SECONDS[persona.answer];
      if (ringSeconds > timeout) {
        await ctx.spend(timeout);
        return { status: "no-answer", talk: 0 };
      }
      await ctx.spend(ringSeconds);
      const talk =
        persona.answer === "human"
          ? (persona.talkSeconds ?? DEFAULT_TALK_SECONDS)
          : (persona.greetingSeconds ?? DEFAULT_GREETING_SECONDS) + 5;
      return { status: "completed", talk };
    }
  }
}
