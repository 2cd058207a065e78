import { API_VERSION } from "./network.ts";
import type { CallRecord } from "./store.ts";
import { callPrice, SIM_PRICES } from "./pricing.ts";
import { rfc2822, rfc2822OrNull } from "./time-format.ts";

/** A call as Twilio's REST API renders it (snake_case, RFC 2822 dates, numbers as strings). */
export function callJson(call: CallRecord, skewMs = 0): Record<string, unknown> {
  const at = (ms: number | undefined) => (ms === undefined ? undefined : ms + skewMs);
  const uri = `/2010-04-01/Accounts/${call.accountSid}/Calls/${call.sid}`;
  return {
    sid: call.sid,
    date_created: rfc2822(call.createdAt + skewMs),
    date_updated: rfc2822(call.updatedAt + skewMs),
    parent_call_sid: call.parentCallSid ?? null,
    account_sid: call.accountSid,
    to: call.to,
    to_formatted: call.to,
    from: call.from,
    from_formatted: call.from,
    phone_number_sid: null,
    status: call.status,
    start_time: rfc2822OrNull(at(call.startedAt)),
    end_time: rfc2822OrNull(at(call.endedAt)),
    duration: call.duration === undefined ? null : String(call.duration),
    price: callPrice(call),
    price_unit: SIM_PRICES.unit,
    direction: call.direction,
    answered_by: call.answeredBy ?? null,
    api_version: API_VERSION,
    forwarded_from: null,
    group_sid: null,
    caller_name: null,
    queue_time: String(call.queueTimeMs),
    trunk_sid: null,
    uri: `${uri}.json`,
    subresource_uris: {
      notifications: `${uri}/Notifications.json`,
      recordings: `${uri}/Recordings.json`,
      payments: `${uri}/Payments.json`,
      events: `${uri}/Events.json`,
      siprec: `${uri}/Siprec.json`,
      streams: `${uri}/Streams.json`,
      transcriptions: `${uri}/Transcriptions.json`,
      user_defined_message_subscriptions: `${uri}/UserDefinedMessageSubscriptions.json`,
      user_defined_messages: `${uri}/UserDefinedMessages.json`,
    },
  };
}
