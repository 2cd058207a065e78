import { performance } from "node:perf_hooks";
import type { Network } from "./network.ts";
import { ScriptCursor } from "./personas.ts";
import { newSid } from "./sids.ts";
import { callParams } from "./status-callbacks.ts";
import type { CallRecord } from "./store.ts";
import { XmlParseError, parseXml, type XmlElement } from "./twiml-parser.ts";
import type { Persona, PersonaAction, TranscriptEntry } from "./types.ts";
import { VERBS } from "./verbs/index.ts";
import {
  BargeIn,
  CallStop,
  TwimlError,
  type Goto,
  type TranscriptInput,
  type VerbContext,
  type VerbOutcome,
} from "./verbs/verb.ts";
import type { Params } from "./webhook-client.ts";

export type EndOutcome = Extract<VerbOutcome, { kind: "end" }>;
export type DocumentSource = Goto | { twiml: string };

/** A TwiML loop that never lets simulated time pass must still end. */
const MAX_DOCUMENTS = 500;

/** One live call as the network runs it: simulated time, the citizen's script, and the TwiML it executes. */
export class CallSession implements VerbContext {
  elapsed = 0;
  documentUrl: string | undefined;
  answered = false;
  /** Set by the REST API: the call must end, or jump to another document. */
  endRequested: "canceled" | "completed" | undefined;
  redirectTo: DocumentSource | undefined;
  /** Aborted when the call ends: stops background work such as async AMD. */
  readonly lifetime = new AbortController();
  private segment = new AbortController();
  private deadline = Infinity;
  private deadlineReason: "citizen" | "time-limit" = "citizen";
  private readonly cursor: ScriptCursor;
  private documents = 0;

  constructor(
    readonly net: Network,
    readonly call: CallRecord,
    readonly persona: Persona,
    private readonly onAnswer: (session: CallSession) => void,
  ) {
    this.cursor = new ScriptCursor(persona.script);
  }

  /** Starts the talk clock: from here on the citizen may hang up and the call's TimeLimit runs. */
  answer(): void {
    if (this.answered) return;
    this.answered = true;
    const hangup = this.persona.hangupAfterSeconds ?? Infinity;
    const limit = this.call.request.timeLimit;
    this.deadline = Math.min(hangup, limit);
    this.deadlineReason = hangup <= limit ? "citizen" : "time-limit";
    this.onAnswer(this);
  }

  /** Interrupts whatever the call is doing now (an API hang-up or redirect). */
  interrupt(): void {
    this.segment.abort(new CallStop("interrupted"));
  }

  /** Waits simulated time before the answer (ringing): not talk time, no hang-up deadline. */
  async ring(seconds: number): Promise<void> {
    this.checkInterrupt();
    try {
      await this.net.clock.wait(seconds, this.segment.signal);
    } catch {
      throw new CallStop("interrupted");
    }
  }

  bargeInAt: number | undefined;

  async spend(seconds: number): Promise<void> {
    this.checkInterrupt();
    const left = this.deadline - this.elapsed;
    const barge =
      this.bargeInAt !== undefined && this.elapsed + seconds > this.bargeInAt && this.bargeInAt < this.deadline;
    if (barge) {
      await this.spend(Math.max(0, this.bargeInAt! - this.elapsed));
      this.bargeInAt = undefined;
      throw new BargeIn();
    }
    const stop = seconds > left;
    const span = stop ? left : seconds;
    const started = performance.now();
    try {
      await this.net.clock.wait(span, this.segment.signal);
    } catch {
      const scale = this.net.clock.timeScale;
      this.elapsed += scale > 0 ? Math.min(span, (performance.now() - started) / 1000 / scale) : 0;
      throw new CallStop("interrupted");
    }
    this.elapsed += span;
    if (stop) throw new CallStop(this.deadlineReason);
  }

  log<E extends TranscriptInput>(entry: E): E & { t: number } {
    const stamped = Object.assign(entry, { t: Math.round(this.elapsed * 10) / 10 });
    if (this.net.keepTranscripts) {
      this.call.transcript.push(stamped as unknown as TranscriptEntry);
      this.net.events.changed();
    }
    return stamped;
  }

  async hear(entry: Extract<TranscriptEntry, { kind: "say" | "play" }>, seconds: number): Promise<void> {
    try {
      await this.spend(seconds);
    } catch (err) {
      if ((err instanceof CallStop && err.reason !== "interrupted") || err instanceof BargeIn) entry.interrupted = true;
      throw err;
    }
  }

  nextAction(): PersonaAction {
    return this.cursor.next();
  }

  peekAction(): PersonaAction {
    return this.cursor.peek();
  }

  warn(code: number, message: string): void {
    (this.call.warnings ??= []).push({ code, message });
    this.log({ kind: "warning", code, message });
    this.net.log.warn({ callSid: this.call.sid, code, reason: message }, "TwiML warning");
  }

  personaFor(phone: string): Persona {
    return this.net.personas.get(phone);
  }

  resolveUrl(url: string): string {
    if (/^https?:\/\//i.test(url)) return url;
    try {
      return new URL(url, this.documentUrl).toString();
    } catch {
      throw new TwimlError(12100, `cannot resolve URL "${url}" without a document URL`);
    }
  }

  async fetchTwiml(url: string, method: "GET" | "POST", params: Params): Promise<string | undefined> {
    try {
      const res = await this.net.webhooks.send(url, method, params);
      return res.status >= 200 && res.status < 300 ? res.body : undefined;
    } catch (err) {
      this.net.events.emit("webhook:failed", { kind: "twiml", callSid: this.call.sid, url, error: String(err) });
      return undefined;
    }
  }

  async notify(url: string, method: "GET" | "POST", params: Params): Promise<void> {
    try {
      await this.net.webhooks.send(url, method, { ...callParams(this.call), ...params });
    } catch (err) {
      this.net.events.emit("webhook:failed", { kind: "action", callSid: this.call.sid, url, error: String(err) });
    }
  }

  newRecording(seconds: number): { sid: string; url: string } {
    const sid = newSid("RE");
    this.net.store.recordings.set(sid, { callSid: this.call.sid, seconds, createdAt: Date.now() });
    return { sid, url: `${this.net.baseUrl()}/2010-04-01/Accounts/${this.call.accountSid}/Recordings/${sid}` };
  }

  /** Runs TwiML documents until one ends the call; returns how it ended. */
  async run(first: DocumentSource): Promise<EndOutcome> {
    let next: DocumentSource | undefined = first;
    for (;;) {
      try {
        const doc = await this.load(next);
        const outcome = await this.execute(doc);
        if (outcome.kind === "end") return outcome;
        next = outcome.goto;
      } catch (err) {
        if (err instanceof CallStop && err.reason === "interrupted" && this.redirectTo && !this.endRequested) {
          next = this.redirectTo;
          this.redirectTo = undefined;
          this.segment = new AbortController();
          continue;
        }
        throw err;
      }
    }
  }

  private checkInterrupt(): void {
    if (this.endRequested || this.redirectTo || this.segment.signal.aborted) throw new CallStop("interrupted");
  }

  private async load(source: DocumentSource): Promise<XmlElement> {
    if (++this.documents > MAX_DOCUMENTS)
      throw new TwimlError(12100, `more than ${MAX_DOCUMENTS} TwiML documents in one call`);
    let text: string;
    if ("twiml" in source) {
      text = source.twiml;
      this.documentUrl = undefined;
    } else {
      let res;
      try {
        res = await this.net.webhooks.send(source.url, source.method, { ...callParams(this.call), ...source.params });
      } catch (err) {
        this.checkInterrupt();
        throw new TwimlError(11205, `HTTP connection failure: ${(err as Error).message}`);
      }
      this.checkInterrupt();
      if (res.status < 200 || res.status >= 300) {
        throw new TwimlError(11200, `HTTP retrieval failure: ${source.method} ${source.url} returned ${res.status}`);
      }
      text = res.body;
      this.documentUrl = source.url;
    }
    return validate(text);
  }

  private async execute(doc: XmlElement): Promise<VerbOutcome & { kind: "end" | "goto" }> {
    for (const el of doc.children) {
      if (typeof el === "string") continue;
      if (!this.answered && el.name !== "Reject") this.answer();
      const outcome = await VERBS[el.name](this, el);
      if (outcome.kind !== "next") return outcome;
    }
    // At the end of the document Twilio hangs up.
    return { kind: "end", status: "completed", by: "service" };
  }
}

function validate(text: string): XmlElement {
  let doc: XmlElement;
  try {
    doc = parseXml(text);
  } catch (err) {
    if (err instanceof XmlParseError) throw new TwimlError(12100, `Document parse failure: ${err.message}`);
    throw err;
  }
  if (doc.name !== "Response")
    throw new TwimlError(12100, `Document parse failure: root element <${doc.name}>, expected <Response>`);
  for (const child of doc.children) {
    if (typeof child === "string") {
      if (child.trim() !== "") throw new TwimlError(12100, "Document parse failure: text directly inside <Response>");
    } else if (!Object.hasOwn(VERBS, child.name)) {
      throw new TwimlError(12100, `Document parse failure: unknown or unsupported verb <${child.name}>`);
    }
  }
  return doc;
}
