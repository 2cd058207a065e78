import { speechSeconds } from "../personas.ts";
import { CallStop, NEXT, methodAttr, numberAttr, type Verb } from "./verb.ts";

export const record: Verb = async (ctx, el) => {
  const maxLength = numberAttr(el, "maxLength", 3600);
  const timeout = numberAttr(el, "timeout", 5);
  const action = el.attrs.action ? ctx.resolveUrl(el.attrs.action) : ctx.documentUrl;
  const method = methodAttr(el);

  const act = ctx.nextAction();
  let seconds = 0;
  let hangsUp = false;
  if ("hangup" in act) {
    await ctx.spend(act.afterSeconds ?? 0);
    throw new CallStop("citizen");
  } else if ("record" in act) {
    seconds = act.record.seconds;
    hangsUp = act.record.hangup === true;
  } else if ("speech" in act) {
    seconds = speechSeconds(act.speech);
    ctx.log({ kind: "spoke", speech: act.speech, confidence: act.confidence ?? 0.9 });
  } else if ("digits" in act) {
    await ctx.spend(act.afterSeconds ?? 1);
    ctx.log({ kind: "pressed", digits: act.digits });
    return NEXT;
  }

  seconds = Math.min(Math.round(seconds), maxLength);
  if (seconds <= 0) {
    // Twilio does not request the action for an empty recording; the call continues.
    await ctx.spend(timeout);
    ctx.log({ kind: "silence" });
    return NEXT;
  }
  await ctx.spend(seconds);
  const recording = ctx.newRecording(seconds);
  ctx.log({ kind: "recorded", seconds, recordingSid: recording.sid, recordingUrl: recording.url });
  const params = { RecordingUrl: recording.url, RecordingDuration: String(seconds), RecordingSid: recording.sid };
  if (hangsUp) {
    // Twilio still reports a recording ended by hanging up; whatever TwiML comes back is ignored.
    if (action) await ctx.notify(action, method, { ...params, Digits: "hangup" });
    throw new CallStop("citizen");
  }
  await ctx.spend(Math.min(timeout, Math.max(0, maxLength - seconds)));
  if (action === undefined) return NEXT;
  return { kind: "goto", goto: { url: action, method, params } };
};
