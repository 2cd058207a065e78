import type { XmlElement } from "../twiml-parser.ts";
import type { Persona, PersonaAction, SimCall, TranscriptEntry } from "../types.ts";
import type { Params } from "../webhook-client.ts";

type Untimed<T> = T extends unknown ? Omit<T, "t"> : never;
export type TranscriptInput = Untimed<TranscriptEntry>;

export interface Goto {
  url: string;
  method: "GET" | "POST";
  params?: Params;
}

export type VerbOutcome =
  | { kind: "next" }
  | { kind: "goto"; goto: Goto }
  | { kind: "end"; status: "completed" | "busy" | "no-answer" | "failed"; by: "service" | "citizen" };

export const NEXT: VerbOutcome = Object.freeze({ kind: "next" });

/** What a verb may do to the call it runs in; implemented by the call session. */
export interface VerbContext {
  readonly call: SimCall;
  /** Absolute URL, resolved against the current document's URL. */
  resolveUrl(url: string): string;
  /** The current document's URL: the default action of Gather and Record. */
  readonly documentUrl: string | undefined;
  /** Simulated seconds since the call was answered. */
  readonly elapsed: number;
  /** Passes simulated time; throws CallStop when the citizen hangs up or the call is ended meanwhile. */
  spend(seconds: number): Promise<void>;
  /** Appends to the transcript (stamped with the simulated time) and returns the entry. */
  log<E extends TranscriptInput>(entry: E): E & { t: number };
  /** Plays something to the citizen for `seconds`, marking the entry interrupted if they hang up. */
  hear(entry: Extract<TranscriptEntry, { kind: "say" | "play" }>, seconds: number): Promise<void>;
  /** The citizen's response to the next prompt. */
  nextAction(): PersonaAction;
  /** The response nextAction() will give, without taking it. */
  peekAction(): PersonaAction;
  /** Simulated time (as `elapsed`) at which the citizen barges into what is playing; undefined: they do not. */
  bargeInAt: number | undefined;
  /** Records a Twilio warning on the call: the call goes on, as on Twilio. */
  warn(code: number, message: string): void;
  personaFor(phone: string): Persona;
  /** Requests TwiML for another leg (a `<Number url>` whisper); undefined when it could not be fetched. */
  fetchTwiml(url: string, method: "GET" | "POST", params: Params): Promise<string | undefined>;
  /** Requests a webhook whose TwiML is ignored (an action after the caller hung up). */
  notify(url: string, method: "GET" | "POST", params: Params): Promise<void>;
  newRecording(seconds: number): { sid: string; url: string };
}

export type Verb = (ctx: VerbContext, el: XmlElement) => Promise<VerbOutcome>;

/** TwiML the network cannot run: ends the call with a Twilio error code. */
export class TwimlError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** The citizen pressed a key or spoke while a Gather's prompt played: the prompt stops there. */
export class BargeIn extends Error {
  constructor() {
    super("barge-in");
  }
}

/** Unwinds a running document: the citizen hung up, the API ended or redirected the call, or its time ran out. */
export class CallStop extends Error {
  constructor(readonly reason: "citizen" | "time-limit" | "interrupted") {
    super(reason);
  }
}

export function loopCount(value: string | undefined, fallback = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new TwimlError(12100, `invalid loop value "${value}"`);
  // Twilio repeats loop="0" up to 1000 times.
  return n === 0 ? 1000 : n;
}

export function numberAttr(el: XmlElement, name: string, fallback: number): number {
  const v = el.attrs[name];
  if (v === undefined || v === "") return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new TwimlError(12100, `invalid ${name} "${v}" on <${el.name}>`);
  return n;
}

export function methodAttr(el: XmlElement, name = "method"): "GET" | "POST" {
  const v = el.attrs[name];
  if (v === undefined || v.toUpperCase() === "POST") return "POST";
  if (v.toUpperCase() === "GET") return "GET";
  throw new TwimlError(12100, `invalid ${name} "${v}" on <${el.name}>`);
}
