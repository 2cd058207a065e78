import { smsBody } from "../rules/sms-segments.js";
import type { Carrier } from "../twilio/carrier.js";
import { twilioUrl } from "../twilio/routes.js";
import type { TakenDelivery } from "../deliveries/send.js";

/** One request to the carrier for one delivery; returns the provider SID. */
export async function submitDelivery(carrier: Carrier, publicUrl: string, d: TakenDelivery): Promise<string> {
  const q = { delivery: d.id, attempt: d.attempts };
  if (d.channel === "voice") {
    const route = d.purpose === "closing" ? "closing" : "alert";
    return carrier.placeCall({
      to: d.phone,
      url: twilioUrl(publicUrl, route, { delivery: d.id }),
      statusCallback: twilioUrl(publicUrl, "callStatus", q),
      timeoutSeconds: 30,
      // Closing calls too: on a voicemail the greeting would otherwise talk over the closing message.
      amdCallback: twilioUrl(publicUrl, "amd", { delivery: d.id }),
    });
  }
  return carrier.sendSms({
    to: d.phone,
    body: smsBody(d.text, d.language),
    statusCallback: twilioUrl(publicUrl, "smsStatus", q),
    validitySeconds: 3600,
  });
}

/**
 * Did a request we lost track of create a call or message anyway? Looks for one to this number from us, created
 * after the request began, whose SID no delivery has claimed yet (Twilio dates have one-second resolution).
 */
export async function findLostSubmission(
  carrier: Carrier,
  d: { phone: string; channel: "voice" | "sms"; sending_at: Date },
  isKnown: (sids: string[]) => Promise<Set<string>>,
): Promise<string | null> {
  const since = Math.floor(d.sending_at.getTime() / 1000) * 1000 - 1000;
  const found = await carrier.listTo(d.channel, d.phone);
  const candidates = found.filter((c) => c.from === carrier.from && c.createdAt && c.createdAt.getTime() >= since);
  if (!candidates.length) return null;
  const known = await isKnown(candidates.map((c) => c.sid));
  return candidates.find((c) => !known.has(c.sid))?.sid ?? null;
}
