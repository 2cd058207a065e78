import { EVENT_TYPES } from "../events/publish.js";
import { REGION_CODE_PATTERN } from "../regions/code.js";

/** What each event's `data` carries besides `region` and `alertId` (the live feed sends the same bodies). */
const DATA: Record<string, { summary: string; properties: Record<string, object> }> = {
  "alert.created": {
    summary: "An alert was created (and targeted)",
    properties: {
      kind: { type: "string" },
      priority: { enum: ["normal", "urgent"] },
      status: { type: "string" },
      targeting: {
        type: "object",
        description: "Participants targeted per channel and per language (byLanguage), skipped and why",
      },
    },
  },
  "alert.progress": {
    summary: "Deliveries of a live alert by status, at most every few seconds while it dispatches",
    properties: {
      status: { type: "string" },
      total: { type: "integer", description: "Alert messages (calls and SMS)" },
      queued: { type: "integer", description: "Not yet at the carrier" },
      atCarrier: { type: "integer", description: "At the carrier, not yet through" },
      reached: { type: "integer", description: "Participants reached: the closing message goes to them" },
      unreached: { type: "integer", description: "Ended without getting through" },
      byStatus: { type: "object", additionalProperties: { type: "integer" } },
      presence: {
        type: "object",
        description: 'Participants by their answer to "are you nearby now?" (near: eyes in the area)',
        properties: { near: { type: "integer" }, away: { type: "integer" }, unknown: { type: "integer" } },
      },
    },
  },
  "alert.cancelled": { summary: "Cancelled: nothing more is sent", properties: { cancelledAt: { type: "string" } } },
  "alert.closed": {
    summary: "Closed with an outcome; the closing message goes to everyone reached",
    properties: { outcome: { type: "string" }, closingMessages: { type: "integer" }, closedAt: { type: "string" } },
  },
  "alert.updated": {
    summary: "A follow-up: new texts, and how many participants already reached get the update",
    properties: {
      seq: { type: "integer", description: "The update's number within its alert" },
      notify: { enum: ["reached", "none"] },
      notified: { type: "integer", description: "Participants an update message was queued for" },
    },
  },
  "alert.extended": {
    summary: "The area was widened (by hand or by the alert's escalation); how many participants were added",
    properties: {
      added: { type: "integer" },
      voice: { type: "integer" },
      sms: { type: "integer" },
      automatic: { type: "boolean", description: "true: the escalation chosen at creation widened it" },
      area: { type: "object", description: "The new area" },
    },
  },
  "sighting.created": {
    summary: "A citizen's tip (spoken, keyed or by SMS), committed before the caller is thanked",
    properties: {
      sightingId: { type: "string" },
      deliveryId: { type: ["string", "null"] },
      source: { type: "string" },
      callerPhone: { type: ["string", "null"], description: "Masked unless the key may see phone numbers" },
      transcript: { type: ["string", "null"] },
      confidence: { type: ["number", "null"] },
      digits: { type: ["string", "null"] },
      recordingUrl: { type: ["string", "null"] },
      distanceM: { type: ["integer", "null"] },
      clusterId: { type: "string", description: "The group of related tips it joined (its own id when alone)" },
      plates: { type: "array", items: { type: "string" }, description: "Licence plates it names (12-ABC-3)" },
    },
  },
  "sighting.clustered": {
    summary: "A tip joined a group of related tips (same plate, same vehicle or clothing words, or close by)",
    properties: {
      clusterId: { type: "string", description: "Stable: merged groups keep the older group's id" },
      sightingId: { type: "string", description: "The tip that joined" },
      count: { type: "integer", description: "Tips in the group now" },
      plates: { type: "array", items: { type: "string" }, description: "Every plate the group's tips name" },
      namesAlertPlate: { type: "boolean", description: "A tip of the group names the alert's own plate" },
      reasons: { type: "array", items: { enum: ["plate", "words", "place"] } },
      mergedClusterIds: {
        type: "array",
        items: { type: "string" },
        description: "Groups that this tip tied together and that now carry `clusterId`",
      },
    },
  },
  "call.connected": { summary: "A citizen pressed 1 and is being put through to the meldkamer", properties: {} },
  "participant.unsubscribed": { summary: "A reached participant unsubscribed during the alert", properties: {} },
  "dispatch.halted": {
    summary: "The carrier refused the account: a channel stopped for every alert, nobody was marked failed",
    properties: { channel: { enum: ["voice", "sms"] }, carrierCode: { type: ["integer", "null"] } },
  },
  "dispatch.resumed": { summary: "A halted channel was resumed", properties: { channel: { enum: ["voice", "sms"] } } },
  "conversation.message": {
    summary: "A message on the text line: a text-only participant's SMS (in) or an operator's reply (out)",
    properties: {
      id: { type: "string" },
      conversationId: { type: "string" },
      participantId: { type: "string" },
      direction: { enum: ["in", "out"] },
      text: { type: "string", description: "Phone numbers in it masked" },
      author: { type: ["string", "null"], description: "The API key that replied (out)" },
      createdAt: { type: "string" },
    },
  },
};

const SIGNATURE_HEADERS = [
  ["webhook-id", "Stable per event (evt_…): the same on every attempt and replay, for deduplication"],
  ["webhook-timestamp", "Unix seconds of this attempt; reject more than 5 minutes off"],
  ["webhook-signature", "v1,<base64 HMAC-SHA256 of id.timestamp.body>; two during a secret rotation"],
].map(([name, description]) => ({ name, in: "header", required: true, description, schema: { type: "string" } }));

/** OpenAPI 3.1 `webhooks`: the signed POSTs (Standard Webhooks) a subscription receives, one per event type. */
export function webhookDocs() {
  return Object.fromEntries(
    EVENT_TYPES.map((type) => {
      const d = DATA[type] ?? { summary: type, properties: {} };
      const body = {
        type: "object",
        required: ["type", "timestamp", "data"],
        properties: {
          type: { const: type },
          timestamp: { type: "string", format: "date-time" },
          data: {
            type: "object",
            required: ["region"],
            properties: {
              region: { type: "string", pattern: REGION_CODE_PATTERN },
              alertId: { type: "string" },
              drill: { const: true, description: "Present (true) on every event of a drill alert" },
              ...d.properties,
            },
            additionalProperties: true,
          },
        },
      };
      return [
        type,
        {
          post: {
            operationId: `on${type.replace(/(^|\.|_)(\w)/g, (_m, _s, c: string) => c.toUpperCase())}`,
            summary: d.summary,
            description:
              `Sent to each active subscription of the event's police unit that names \`${type}\`, signed as ` +
              "Standard Webhooks (verify the `webhook-signature` with the subscription's secret before trusting " +
              "the body; during a rotation two `v1,` signatures are sent). Retried with backoff up to 3 days " +
              "until a 2xx; `410 Gone` disables the subscription. Deduplicate on `webhook-id`.",
            tags: ["webhooks"],
            security: [{ webhookSignature: [] }],
            parameters: SIGNATURE_HEADERS,
            requestBody: { required: true, content: { "application/json": { schema: body } } },
            responses: { "2XX": { description: "Received; anything else is retried (up to 3 days)" } },
          },
        },
      ];
    }),
  );
}
