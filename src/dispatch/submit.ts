import type twilio from "twilio";
import type { ClaimedDelivery } from "./queries.js";

export interface SubmitContext {
  client: twilio.Twilio;
  publicUrl: string;
  from: string;
}

const smsPrefix = { nl: "Burgernet", en: "Burgernet" } as const;

/** One request to the carrier for one delivery; returns the provider SID. */
export async function submitDelivery(ctx: SubmitContext, d: ClaimedDelivery, attempt: number): Promise<string> {
  const q = `delivery=${d.id}&attempt=${attempt}`;
  if (d.channel === "voice") {
    const route = d.purpose === "closing" ? "closing" : "alert";
    const call = await ctx.client.calls.create({
      to: d.phone,
      from: ctx.from,
      url: `${ctx.publicUrl}/twilio/voice/${route}?delivery=${d.id}`,
      method: "POST",
      statusCallback: `${ctx.publicUrl}/twilio/voice/status?${q}`,
      statusCallbackMethod: "POST",
      statusCallbackEvent: ["initiated", "ringing", "answered", "completed"],
      timeout: 30,
      ...(d.purpose === "alert"
        ? {
            machineDetection: "DetectMessageEnd",
            asyncAmd: "true",
            asyncAmdStatusCallback: `${ctx.publicUrl}/twilio/voice/amd?delivery=${d.id}`,
            asyncAmdStatusCallbackMethod: "POST",
          }
        : {}),
    });
    return call.sid;
  }
  const message = await ctx.client.messages.create({
    to: d.phone,
    from: ctx.from,
    body: `${smsPrefix[d.language]}: ${d.text}`,
    statusCallback: `${ctx.publicUrl}/twilio/sms/status?${q}`,
    validityPeriod: 3600,
  });
  return message.sid;
}

/**
 * Did a request we lost track of create a call or message anyway? Looks for one to this number from us, created
 * after the request began, whose SID no delivery has claimed yet (Twilio dates have one-second resolution).
 */
export async function findLostSubmission(
  ctx: SubmitContext,
  d: { phone: string; channel: "voice" | "sms"; sending_at: Date },
  isKnown: (sids: string[]) => Promise<Set<string>>,
): Promise<string | null> {
  const since = Math.floor(d.sending_at.getTime() / 1000) * 1000 - 1000;
  const found =
    d.channel === "voice"
      ? (await ctx.client.calls.list({ to: d.phone, limit: 50 })).map((c) => ({
          sid: c.sid,
          from: c.from,
          at: c.dateCreated,
        }))
      : (await ctx.client.messages.list({ to: d.phone, limit: 50 })).map((m) => ({
          sid: m.sid,
          from: m.from,
          at: m.dateCreated,
        }));
  const candidates = found.filter((c) => c.from === ctx.from && c.at && c.at.getTime() >= since);
  if (!candidates.length) return null;
  const known = await isKnown(candidates.map((c) => c.sid));
  return candidates.find((c) => !known.has(c.sid))?.sid ?? null;
}
