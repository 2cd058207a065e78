import { CallSession, type DocumentSource, type EndOutcome } from "./call-session.ts";
import { maskPhone } from "./mask.ts";
import type { Network } from "./network.ts";
import { amdSeconds, amdVerdict, RING_SECONDS } from "./personas.ts";
import { releaseProgress, sendProgress } from "./status-callbacks.ts";
import type { CallRecord } from "./store.ts";
import type { CallStatus, Persona, SimCall } from "./types.ts";
import { CallStop, TwimlError } from "./verbs/verb.ts";

export interface CallRunner {
  /** A paced outbound call leaves the queue: dial it. */
  startOutbound(call: CallRecord, startedAt: number): void;
  /** A citizen calls in; resolves when the call has ended. */
  startInbound(call: CallRecord, persona: Persona, source: DocumentSource): Promise<SimCall>;
  /** REST Status=canceled|completed. Returns false when the call is in no state to take it. */
  end(call: CallRecord, status: "canceled" | "completed"): boolean;
  /** REST Url/Twiml on a live call. */
  redirect(call: CallRecord, source: DocumentSource): boolean;
  readonly activeCount: number;
  close(): void;
}

/** A fixed abort reason: the default one builds a DOMException with a stack for every call. */
const CALL_ENDED = Object.freeze({ reason: "call ended" });

type FinalStatus = Exclude<CallStatus, "queued" | "ringing" | "in-progress">;

export function createCallRunner(net: Network): CallRunner {
  const active = new Map<string, CallSession>();
  let closed = false;

  function touch(call: CallRecord, status?: CallStatus): void {
    if (status) call.status = status;
    call.updatedAt = Date.now();
    net.events.changed();
  }

  function onAnswer(session: CallSession): void {
    const { call } = session;
    call.answeredAt = Date.now();
    touch(call, "in-progress");
    session.log({ kind: "answered", ...(call.answeredBy ? { answeredBy: call.answeredBy } : {}) });
    void sendProgress(net, call, "answered");
    net.events.emit("call:answered", call);
  }

  async function finish(session: CallSession, status: FinalStatus, by?: "citizen" | "service" | "api"): Promise<void> {
    const { call } = session;
    if (!active.has(call.sid)) return;
    active.delete(call.sid);
    session.lifetime.abort(CALL_ENDED);
    if (by && session.answered) session.log({ kind: "hangup", by });
    call.duration = session.answered ? Math.round(session.elapsed) : 0;
    call.endedAt = Date.now();
    touch(call, status);
    if (!closed) await sendProgress(net, call, "completed");
    releaseProgress(call);
    call.settled = true;
    net.events.emit("call:ended", call);
    net.events.changed();
  }

  function failWith(session: CallSession, err: TwimlError): Promise<void> {
    const { call } = session;
    call.errorCode = err.code;
    call.errorMessage = err.message;
    session.log({ kind: "error", code: err.code, message: err.message });
    net.log.info({ callSid: call.sid, code: err.code, reason: err.message }, "call ended by a TwiML error");
    return finish(session, session.answered ? "completed" : "failed");
  }

  /** Maps how a running call stopped to its final status. */
  async function settle(session: CallSession, err: unknown): Promise<void> {
    if (err instanceof CallStop) {
      if (session.endRequested) {
        const status = session.answered && session.endRequested === "completed" ? "completed" : "canceled";
        return finish(session, status, "api");
      }
      if (err.reason === "citizen") return finish(session, "completed", "citizen");
      if (err.reason === "time-limit") return finish(session, "completed", "service");
    }
    if (err instanceof TwimlError) return failWith(session, err);
    net.log.error({ callSid: session.call.sid, err }, "emulator call crashed");
    return failWith(session, new TwimlError(11200, `emulator error: ${String(err)}`));
  }

  function endedBy(outcome: EndOutcome): FinalStatus {
    return outcome.status;
  }

  async function dial(session: CallSession): Promise<void> {
    const { call, persona } = session;
    const req = call.request;
    if (persona.answer === "failed" || persona.answer === "invalid") {
      await session.ring(0.5);
      return finish(session, "failed");
    }
    if (persona.answer === "busy") {
      await session.ring(1);
      return finish(session, "busy");
    }
    touch(call, "ringing");
    void sendProgress(net, call, "ringing");
    if (persona.answer === "no-answer") {
      await session.ring(Math.min(persona.ringSeconds ?? req.timeout, req.timeout));
      return finish(session, "no-answer");
    }
    const ringSeconds = persona.ringSeconds ?? RING_SECONDS[persona.answer];
    if (ringSeconds > req.timeout) {
      await session.ring(req.timeout);
      return finish(session, "no-answer");
    }
    await session.ring(ringSeconds);

    const mode = req.machineDetection ?? (req.asyncAmd ? "Enable" : undefined);
    if (mode && !req.asyncAmd) {
      // Synchronous AMD listens before the TwiML is fetched, so the document can depend on AnsweredBy.
      const seconds = amdSeconds(persona, mode);
      call.answeredBy = amdVerdict(persona, mode);
      session.answer();
      await session.spend(seconds);
    } else {
      session.answer();
      if (mode) void detectAsync(session, mode);
    }
    const source: DocumentSource = req.url ? { url: req.url, method: req.method } : { twiml: req.twiml ?? "" };
    const outcome = await session.run(source);
    return finish(session, endedBy(outcome), outcome.by);
  }

  async function detectAsync(session: CallSession, mode: "Enable" | "DetectMessageEnd"): Promise<void> {
    const { call, persona } = session;
    const seconds = amdSeconds(persona, mode);
    try {
      await net.clock.wait(seconds, session.lifetime.signal);
    } catch {
      return;
    }
    call.answeredBy = amdVerdict(persona, mode);
    touch(call);
    const url = call.request.asyncAmdStatusCallback;
    if (!url) return;
    const params = {
      AccountSid: call.accountSid,
      CallSid: call.sid,
      AnsweredBy: call.answeredBy,
      MachineDetectionDuration: String(Math.round(seconds * 1000)),
    };
    try {
      const res = await net.webhooks.send(url, call.request.asyncAmdStatusCallbackMethod, params);
      if (res.status >= 400)
        net.events.emit("webhook:failed", { kind: "amd-callback", callSid: call.sid, url, status: res.status });
    } catch (err) {
      net.events.emit("webhook:failed", { kind: "amd-callback", callSid: call.sid, url, error: String(err) });
    }
  }

  function open(call: CallRecord, persona: Persona): CallSession {
    const session = new CallSession(net, call, persona, onAnswer);
    active.set(call.sid, session);
    return session;
  }

  return {
    startOutbound(call, startedAt) {
      if (call.status !== "queued") return;
      call.startedAt = startedAt;
      net.store.starts.push(startedAt);
      touch(call);
      net.events.emit("call:started", call);
      const session = open(call, net.personas.get(call.to));
      void sendProgress(net, call, "initiated");
      dial(session).catch((err: unknown) => settle(session, err));
    },

    async startInbound(call, persona, source) {
      call.startedAt = Date.now();
      const session = open(call, persona);
      net.events.emit("call:started", call);
      net.log.debug({ callSid: call.sid, from: maskPhone(call.from) }, "inbound call");
      try {
        const outcome = await session.run(source);
        await finish(session, endedBy(outcome), outcome.by);
      } catch (err) {
        await settle(session, err);
      }
      return call;
    },

    end(call, status) {
      const session = active.get(call.sid);
      if (!session) {
        if (call.status !== "queued") return false;
        // Still waiting for a CPS slot: the pacer drops it when its turn comes.
        call.endedAt = Date.now();
        call.duration = 0;
        touch(call, "canceled");
        void sendProgress(net, call, "completed").then(() => {
          releaseProgress(call);
          call.settled = true;
          net.events.emit("call:ended", call);
          net.events.changed();
        });
        return true;
      }
      if (status === "canceled" && session.answered) return false;
      session.endRequested = status;
      touch(call, session.answered ? "completed" : "canceled");
      session.interrupt();
      return true;
    },

    redirect(call, source) {
      const session = active.get(call.sid);
      if (!session || !session.answered || session.endRequested) return false;
      session.redirectTo = source;
      session.interrupt();
      return true;
    },

    get activeCount() {
      return active.size;
    },

    close() {
      closed = true;
      for (const session of active.values()) {
        session.endRequested = "completed";
        session.interrupt();
        session.lifetime.abort(CALL_ENDED);
      }
    },
  };
}
