import type VoiceResponse from "twilio/lib/twiml/VoiceResponse.js";
import { fill } from "./placeholders.js";
import { sayText } from "./ssml.js";
import type { Flag, Menu, MenuOption, ScriptVerb, Vars, VerbName, VerbSpecs, VoiceScript } from "./script-types.js";

/** What the call flow hands the renderer besides the script. */
export interface RenderContext {
  /** Placeholder values; {callbackNumber} is always among them. */
  vars: Vars;
  flags: ReadonlySet<Flag>;
  /** Absolute URL that receives the caller's answer (menu, pick, ask, dial, record). */
  action?: string;
  dial?: { number: string; callerId: string; whisperUrl?: string };
  /** The alerts to choose from, one set of placeholder values each (for `pick`). */
  items?: Vars[];
  /**
   * The says and pauses that lead up to a gather in the same step: spoken inside the `<Gather>`, so that a key
   * pressed (or an answer spoken) while the alert is read out is taken at once (barge-in).
   */
  lead?: ScriptVerb[];
  /**
   * The alert text is the Dutch one, the script's language had none: where a say is just {alertText}, the script's
   * sentence introduces it and the Dutch voice reads it (another language's voice would mangle Dutch).
   */
  dutch?: { intro: string; voice: string; language: string };
  /** The call is not over at the script's hangup: it goes on at this URL instead (a closing call's wait). */
  hangupRedirect?: string;
}

type Out = VoiceResponse | VoiceResponse.Gather;
type Renderer<K extends VerbName> = (
  out: VoiceResponse,
  spec: VerbSpecs[K],
  ctx: RenderContext,
  script: VoiceScript,
) => void;

export function visibleOptions(menu: Menu, flags: ReadonlySet<Flag>): MenuOption[] {
  return menu.options.filter((o) => (o.when ?? []).every((f) => flags.has(f)));
}

function speak(out: Out, script: VoiceScript, text: string) {
  sayText(
    out,
    {
      voice: script.voice as VoiceResponse.SayAttributes["voice"],
      language: script.language as VoiceResponse.SayAttributes["language"],
    },
    text,
  );
}

/** A script's say: its text filled in, or the introduced Dutch alert text (see RenderContext.dutch). */
function speakSay(out: Out, script: VoiceScript, text: string, ctx: RenderContext) {
  if (!ctx.dutch || text.trim() !== "{alertText}") return speak(out, script, fill(text, ctx.vars));
  speak(out, script, ctx.dutch.intro);
  sayText(
    out,
    {
      voice: ctx.dutch.voice as VoiceResponse.SayAttributes["voice"],
      language: ctx.dutch.language as VoiceResponse.SayAttributes["language"],
    },
    fill(text, ctx.vars),
  );
}

/** The lead-up verbs of a gather, inside it. */
function speakLead(gather: VoiceResponse.Gather, ctx: RenderContext, script: VoiceScript) {
  for (const verb of ctx.lead ?? []) {
    if ("say" in verb) speakSay(gather, script, verb.say, ctx);
    else if ("pause" in verb) gather.pause({ length: verb.pause });
  }
}

// With an explicit speechModel Twilio takes no speechTimeout="auto" (warning 13335): whole seconds of silence.
const MENU_SPEECH_TIMEOUT = "2";
const ASK_SPEECH_TIMEOUT = 3;

/** Speech recognition as Twilio should run it: the script's explicit model and language, with hints. */
function speechAttributes(script: VoiceScript, hints: string[]) {
  if (script.speech.model === null) return {};
  return {
    language: script.speech.language as VoiceResponse.GatherAttributes["language"],
    speechModel: script.speech.model as VoiceResponse.GatherAttributes["speechModel"],
    ...(hints.length ? { hints: hints.join(", ") } : {}),
  };
}

function needAction(ctx: RenderContext, verb: string): string {
  if (!ctx.action) throw new Error(`${verb} rendered without an action URL`);
  return ctx.action;
}

/** Without an answer a Gather falls through: send that "no answer" to the same action. */
function fallThrough(out: VoiceResponse, action: string) {
  out.redirect({ method: "POST" }, action);
}

const say: Renderer<"say"> = (out, text, ctx, script) => speakSay(out, script, text, ctx);

const pause: Renderer<"pause"> = (out, seconds) => {
  out.pause({ length: seconds });
};

const menu: Renderer<"menu"> = (out, name, ctx, script) => {
  const action = needAction(ctx, "menu");
  const def = script.menus[name];
  if (!def) throw new Error(`menu ${name} rendered from a script without it`);
  const options = visibleOptions(def, ctx.flags);
  const listens = script.speech.model !== null;
  const gather = out.gather({
    input: listens ? ["dtmf", "speech"] : ["dtmf"],
    numDigits: 1,
    timeout: def.timeout,
    ...(listens ? { speechTimeout: MENU_SPEECH_TIMEOUT } : {}),
    ...speechAttributes(
      script,
      options.flatMap((o) => o.speech),
    ),
    action,
    method: "POST",
  });
  speakLead(gather, ctx, script);
  if (def.prompt) speak(gather, script, fill(def.prompt, ctx.vars));
  for (const option of options) speak(gather, script, fill(option.say, ctx.vars));
  fallThrough(out, action);
};

const pick: Renderer<"pick"> = (out, spec, ctx, script) => {
  const action = needAction(ctx, "pick");
  const gather = out.gather({ input: ["dtmf"], numDigits: 1, timeout: spec.timeout, action, method: "POST" });
  speakLead(gather, ctx, script);
  for (const item of ctx.items ?? []) speak(gather, script, fill(spec.item, { ...ctx.vars, ...item }));
  fallThrough(out, action);
};

const ask: Renderer<"ask"> = (out, spec, ctx, script) => {
  const action = needAction(ctx, "ask");
  const gather =
    spec.input === "speech"
      ? out.gather({
          input: ["speech"],
          timeout: spec.timeout,
          speechTimeout: String(spec.speechTimeout ?? ASK_SPEECH_TIMEOUT),
          ...speechAttributes(script, script.speech.tipHints),
          action,
          method: "POST",
        })
      : out.gather({
          input: ["dtmf"],
          numDigits: spec.numDigits,
          finishOnKey: "#",
          timeout: spec.timeout,
          action,
          method: "POST",
        });
  speakLead(gather, ctx, script);
  speak(gather, script, fill(spec.prompt, ctx.vars));
  fallThrough(out, action);
};

const dial: Renderer<"dial"> = (out, spec, ctx) => {
  const action = needAction(ctx, "dial");
  if (!ctx.dial) throw new Error("dial rendered without a number");
  const d = out.dial({ callerId: ctx.dial.callerId, timeout: spec.timeout, action, method: "POST" });
  d.number(ctx.dial.whisperUrl ? { url: ctx.dial.whisperUrl, method: "POST" } : {}, ctx.dial.number);
};

const record: Renderer<"record"> = (out, spec, ctx) => {
  out.record({
    action: needAction(ctx, "record"),
    method: "POST",
    maxLength: spec.maxLength,
    timeout: spec.timeout,
    finishOnKey: spec.finishOnKey ?? "#",
    playBeep: true,
  });
};

const hangup: Renderer<"hangup"> = (out, _spec, ctx) => {
  if (ctx.hangupRedirect) out.redirect({ method: "POST" }, ctx.hangupRedirect);
  else out.hangup();
};

/** The registry: one renderer per verb a script may use. */
export const VERB_RENDERERS: { [K in VerbName]: Renderer<K> } = { say, pause, menu, pick, ask, dial, record, hangup };
