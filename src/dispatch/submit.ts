import { dutchFallback } from "../languages/fallback.js";
import { withPresenceQuestion } from "../presence/sms-question.js";
import { drillText } from "../rules/drill.js";
import { appendLink, photoLink, smsBody } from "../rules/sms-segments.js";
import { carrierSince, type Carrier } from "../twilio/carrier.js";
import { twilioUrl } from "../twilio/routes.js";
import type { TakenDelivery } from "../deliveries/send.js";
import { photoLinks } from "../deliveries/photo-links.js";
import type { Queryable } from "../db/db.js";

/** An alert SMS of an alert with a photo gets its own link to the photo page (a new token per attempt). */
export async function withPhotoLink(
  db: Queryable,
  log: { warn: (o: object, m: string) => void },
  d: TakenDelivery,
): Promise<void> {
  if (!d.has_photo) return;
  try {
    d.photo_token = await photoLinks.create(db, d.id, d.alert_id);
  } catch (err) {
    // The alert text matters more than the photo: it goes without the link.
    log.warn({ alertId: d.alert_id, deliveryId: d.id, err }, "photo link not made; the SMS goes without it");
  }
}
/** One request to the carrier for one delivery; returns the provider SID. */
export async function submitDelivery(
  carrier: Carrier,
  publicUrl: string,
  d: TakenDelivery,
  sendBy?: number,
): Promise<string> {
  const q = { delivery: d.id, attempt: d.attempts };
  if (d.channel === "voice") {
    // An update to a voice-only participant is a short call, as a closing message is.
    const route = d.purpose === "alert" ? "alert" : "closing";
    return carrier.placeCall({
      to: d.phone,
      url: twilioUrl(publicUrl, route, { delivery: d.id }),
      statusCallback: twilioUrl(publicUrl, "callStatus", q),
      timeoutSeconds: 30,
      // Closing calls too: on a voicemail the greeting would otherwise talk over the closing message.
      amdCallback: twilioUrl(publicUrl, "amd", { delivery: d.id }),
      sendBy,
    });
  }
  return carrier.sendSms({
    to: d.phone,
    // A closing message is written once, for everyone, and goes as written; an alert text in the participant's
    // language, or the Dutch one introduced in it; a drill says so first, whatever the message; with the presence
    // question when the alert asks it, and the photo link when the alert has a photo.
    body:
      d.purpose === "closing"
        ? smsBody(drillText(d.text, d.language, d.drill === true))
        : appendLink(
            withPresenceQuestion(
              smsBody(drillText(d.text, d.language, d.drill === true), d.language, {
                intro: d.fallback ? dutchFallback(d.language)?.sms : undefined,
              }),
              d.language,
              d.ask_presence ?? false,
            ),
            d.language,
            d.photo_token ? photoLink(publicUrl, d.photo_token) : null,
          ),
    statusCallback: twilioUrl(publicUrl, "smsStatus", q),
    validitySeconds: 3600,
    sendBy,
  });
}

/**
 * Did a request we lost track of create a call or message anyway? Looks for one to this number from us, created
 * after the request began by the carrier's clock (CARRIER_CLOCK_TOLERANCE_MS), whose SID no delivery has claimed yet.
 */
export async function findLostSubmission(
  carrier: Carrier,
  d: { phone: string; channel: "voice" | "sms"; sending_at: Date },
  isKnown: (sids: string[]) => Promise<Set<string>>,
): Promise<string | null> {
  const since = carrierSince(d.sending_at);
  const found = await carrier.listTo(d.channel, d.phone);
  const candidates = found
    .filter((c) => c.from === carrier.from && c.createdAt && c.createdAt.getTime() >= since)
    // The newest first: with the tolerance, an earlier unclaimed record to this number (a retry's first
    // attempt) can fall in the window too, and the lost request is the latest one made.
    .sort((a, b) => b.createdAt!.getTime() - a.createdAt!.getTime());
  if (!candidates.length) return null;
  const known = await isKnown(candidates.map((c) => c.sid));
  return candidates.find((c) => !known.has(c.sid))?.sid ?? null;
}
