import { API_VERSION } from "./network.ts";
import type { MessageRecord } from "./store.ts";
import { messagePrice, SIM_PRICES } from "./pricing.ts";
import { rfc2822, rfc2822OrNull } from "./time-format.ts";

const ERROR_MESSAGES: Record<number, string> = {
  30003: "Unreachable destination handset",
  30005: "Unknown destination handset",
  30006: "Landline or unreachable carrier",
  30007: "Message filtered",
  30008: "Unknown error",
};

/** A message as Twilio's REST API renders it. */
export function messageJson(m: MessageRecord, skewMs = 0): Record<string, unknown> {
  const uri = `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}`;
  return {
    account_sid: m.accountSid,
    api_version: API_VERSION,
    body: m.body,
    date_created: rfc2822(m.createdAt + skewMs),
    date_sent: rfc2822OrNull(m.sentAt === undefined ? undefined : m.sentAt + skewMs),
    date_updated: rfc2822(m.updatedAt + skewMs),
    direction: m.direction,
    error_code: m.errorCode ?? null,
    error_message: m.errorCode === undefined ? null : (ERROR_MESSAGES[m.errorCode] ?? "Unknown error"),
    from: m.from,
    messaging_service_sid: m.messagingServiceSid ?? null,
    num_media: "0",
    num_segments: String(m.numSegments),
    price: messagePrice(m),
    price_unit: SIM_PRICES.unit,
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: `${uri}/Media.json` },
    to: m.to,
    uri: `${uri}.json`,
  };
}
