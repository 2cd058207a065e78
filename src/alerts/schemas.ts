import { rowIdCursor, timestamp } from "../http/schemas.js";
import { areaSchema, storedAreaSchema } from "./area-schema.js";
import { ALERT_STATUSES } from "./states.js";
import { REGION_CODE_PATTERN } from "../regions/code.js";
import { templateInput } from "../templates/schemas.js";
import { LANGUAGES, type Language } from "../languages/languages.js";
import { actualCostSchema } from "../cost/actual.js";
import { budgetSchema, expectedCostSchema } from "../cost/schemas.js";

export { areaSchema } from "./area-schema.js";

const textPair = {
  type: "object",
  additionalProperties: false,
  required: ["voice", "sms"],
  properties: {
    voice: { type: "string", minLength: 1, maxLength: 1000, pattern: "\\S" },
    sms: { type: "string", minLength: 1, maxLength: 480, pattern: "\\S" },
  },
} as const;

const alertTexts = {
  type: "object",
  additionalProperties: false,
  required: ["nl"],
  properties: { nl: textPair, en: textPair },
} as const;

export const escalationSchema = {
  type: "object",
  additionalProperties: false,
  required: ["afterMinutes", "minAnswered", "radiusMeters"],
  description:
    "Automatic widening: when fewer than `minAnswered` participants have answered after `afterMinutes`, the area " +
    "grows once to a circle of `radiusMeters` around its centre (a circle grows; a polygon becomes the circle " +
    "around its centre, which must hold it). Nothing happens after a cancel or close.",
  properties: {
    afterMinutes: { type: "integer", minimum: 1, maximum: 720 },
    minAnswered: { type: "integer", minimum: 1, maximum: 100000 },
    radiusMeters: { type: "number", minimum: 50, maximum: 50000 },
  },
} as const;

export const alertInput = {
  type: "object",
  additionalProperties: false,
  required: ["area", "channels"],
  // Texts written out (with their kind), or a template that writes them; both: the written-out languages win.
  anyOf: [{ required: ["kind", "texts"] }, { required: ["template"] }],
  properties: {
    kind: {
      enum: ["suspect", "vehicle", "missing_person", "missing_child", "other"],
      description: "Required without a template; with one, the template's kind unless given",
    },
    template: templateInput,
    priority: { enum: ["normal", "urgent"], default: "normal" },
    region: {
      type: "string",
      pattern: REGION_CODE_PATTERN,
      description: "Required for admin keys; operators use their own",
    },
    texts: {
      type: "object",
      additionalProperties: false,
      minProperties: 1,
      description:
        "Per participant language. Required (with nl) without a template; with one, each language given replaces " +
        "the template's text for it. A participant whose language has no text gets the Dutch one, introduced by one " +
        "sentence in their language (the preview counts them in fallback)",
      properties: Object.fromEntries(LANGUAGES.map((l) => [l, textPair])) as Record<Language, typeof textPair>,
    },
    area: areaSchema,
    channels: { type: "array", minItems: 1, maxItems: 2, uniqueItems: true, items: { enum: ["voice", "sms"] } },
    expiresInMinutes: { type: "integer", minimum: 5, maximum: 1440, default: 120 },
    dispatch: { type: "boolean", default: true },
    presenceCheck: {
      type: "boolean",
      description:
        'Open each call with "Are you nearby now? Press 1 for yes, 2 for no" (no key: the alert plays) and end each ' +
        'SMS with "Reply YES if you are nearby" (counted within the 3-segment cap). Absent: on for suspect and ' +
        "vehicle, off for the other kinds. The answers are counted in `presence`",
    },
    mode: {
      enum: ["live", "drill"],
      default: "live",
      description: "`drill`: a practice alert that reaches only participants who opted in to drills, and says so",
    },
    escalation: escalationSchema,
  },
} as const;

/** POST /v1/alerts/{id}/updates: a follow-up. */
export const followUpBody = {
  type: "object",
  additionalProperties: false,
  required: ["texts", "notify"],
  properties: {
    texts: alertTexts,
    notify: {
      enum: ["reached", "none"],
      description: "`reached`: each participant already reached gets the update once; `none`: only the texts change",
    },
  },
} as const;

export const followUpOutput = {
  type: "object",
  properties: {
    alertId: { type: "string" },
    seq: { type: "integer", description: "The update's number within its alert: 1, 2, …" },
    notify: { enum: ["reached", "none"] },
    notified: { type: "integer", description: "Participants an update message was queued for" },
    texts: { type: "object", additionalProperties: true },
    createdAt: { type: "string" },
  },
} as const;

/** POST /v1/alerts/{id}/extend: a larger area. */
export const extendBody = {
  type: "object",
  additionalProperties: false,
  required: ["area"],
  properties: { area: areaSchema },
} as const;

export const extendOutput = {
  type: "object",
  properties: {
    alertId: { type: "string" },
    added: { type: "integer", description: "Participants added: inside the new area, not targeted before" },
    voice: { type: "integer" },
    sms: { type: "integer" },
    skipped: { type: "object", additionalProperties: { type: "integer" } },
    area: storedAreaSchema,
  },
} as const;

export const closeBody = {
  type: "object",
  additionalProperties: false,
  required: ["outcome", "message"],
  properties: {
    outcome: { enum: ["found", "not_found", "other"] },
    message: { type: "string", minLength: 1, maxLength: 480, pattern: "\\S" },
  },
} as const;

export const alertIdParams = {
  type: "object",
  required: ["id"],
  properties: { id: { type: "string", format: "uuid" } },
} as const;

export const listQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    status: { enum: ALERT_STATUSES },
    mode: { enum: ["live", "drill"], description: "Only live alerts, or only drills (default: both)" },
    limit: { type: "integer", minimum: 1, maximum: 200, default: 50 },
    before: { ...timestamp, description: "Page: alerts created before this time" },
  },
} as const;

export const deliveriesQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    status: { type: "string", pattern: "^[a-z_]+$" },
    limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 },
    after: { ...rowIdCursor, default: 0, description: "Page: deliveries with an id above this" },
  },
} as const;

const counts = { type: "object", additionalProperties: { type: "integer" } } as const;

export const alertOutput = {
  type: "object",
  properties: {
    id: { type: "string" },
    region: { type: "string" },
    kind: { type: "string" },
    priority: { type: "string" },
    status: { type: "string" },
    texts: { type: "object", additionalProperties: true },
    area: storedAreaSchema,
    channels: { type: "array", items: { type: "string" } },
    targeting: { type: "object", additionalProperties: true },
    progress: { ...counts, description: "Alert messages (calls and SMS) by delivery status" },
    summary: {
      type: "object",
      description:
        "The same grouped, as alert.progress sends them: deliveries queued, at the carrier and unreached of total; " +
        "reached counts participants (a call answered, a voicemail, an SMS sent or delivered): the closing " +
        "message goes to them",
      properties: {
        total: { type: "integer" },
        queued: { type: "integer" },
        atCarrier: { type: "integer" },
        reached: { type: "integer" },
        unreached: { type: "integer" },
      },
    },
    presenceCheck: { type: "boolean", description: 'Whether its calls and SMS ask "are you nearby now?"' },
    presence: {
      type: "object",
      description:
        'Participants by their answer to "are you nearby now?": near (yes: eyes in the area), away (no: the call ' +
        "ended), unknown (asked in a call, no answer: the alert was played). SMS not replied to are not counted",
      properties: { near: { type: "integer" }, away: { type: "integer" }, unknown: { type: "integer" } },
    },
    reachedWithinM: {
      type: ["number", "null"],
      description: "Metres from the area's centre to the farthest participant reached (deliveries go nearest first)",
    },
    outcome: { type: ["string", "null"] },
    closingMessage: { type: ["string", "null"] },
    createdAt: { type: "string" },
    expiresAt: { type: "string" },
    dispatchStartedAt: { type: ["string", "null"] },
    dispatchedAt: { type: ["string", "null"] },
    estimatedFinishAt: { type: ["string", "null"] },
    closedAt: { type: ["string", "null"] },
    cancelledAt: { type: ["string", "null"] },
    cost: { ...actualCostSchema, description: `GET /v1/alerts/{id} only. ${actualCostSchema.description}` },
    mode: { enum: ["live", "drill"] },
    escalation: { ...escalationSchema, type: ["object", "null"] },
    escalationCheckedAt: {
      type: ["string", "null"],
      description: "When the escalation was decided (see targeting.escalation)",
    },
  },
} as const;

const count = { type: "integer" } as const;
const previewTexts = {
  type: "object",
  description:
    "Per language, the texts as they will go out (a template filled in, the operator's own texts kept), the SMS " +
    "segments of its SMS and the seconds a voice takes to read its voice text (an estimate: 150 words a minute, a " +
    "spelled character a word, 0.4 s per sentence and 0.2 s per comma; the call's menu comes on top)",
  additionalProperties: {
    type: "object",
    properties: {
      voice: { type: "string" },
      sms: { type: "string" },
      smsSegments: {
        type: "object",
        properties: {
          encoding: { enum: ["GSM-7", "UCS-2"] },
          characters: count,
          segments: count,
        },
      },
      spokenSeconds: { type: "number" },
    },
  },
} as const;
/** POST /v1/alerts/preview. Open (additionalProperties) so figures added later are not cut from the answer. */
export const previewOutput = {
  type: "object",
  additionalProperties: true,
  properties: {
    region: { type: "string" },
    participants: { ...count, description: "Distinct participants reached" },
    voice: { ...count, description: "Calls" },
    sms: { ...count, description: "Messages" },
    skipped: { type: "object", additionalProperties: count, description: "Left out, by reason" },
    quietHours: { type: "boolean", description: "Quiet hours now: a normal alert sends SMS instead of calling" },
    unit: { type: "object", additionalProperties: true },
    reach: { type: "object", additionalProperties: true },
    smsText: { type: "object", additionalProperties: true, description: "Per language: segments, encoding" },
    byLanguage: {
      type: "object",
      additionalProperties: true,
      description: "Participants, calls and messages per participant language (nl, en, de, fr, pl, tr, ar, uk)",
    },
    fallback: {
      type: "object",
      additionalProperties: true,
      description:
        "Those whose language has no text in this alert: they get the Dutch text, introduced by one sentence in " +
        "their language. participants in all; byLanguage: their counts and the SMS as it goes out (smsText)",
    },
    estimatedSeconds: { ...count, description: "Until the last call or SMS has started, at the configured pace" },
    kind: { type: "string" },
    texts: previewTexts,
    cost: expectedCostSchema,
    budget: budgetSchema,
  },
} as const;

const nullable = (type: string) => ({ type: [type, "null"] });
/** GET /v1/alerts/{id}/deliveries: one row per participant, channel and purpose; phone numbers masked. */
export const deliveryOutput = {
  type: "object",
  additionalProperties: true,
  properties: {
    id: count,
    participant_id: nullable("string"),
    phone: { ...nullable("string"), description: "Masked" },
    channel: { enum: ["voice", "sms"] },
    purpose: { enum: ["alert", "closing", "update"] },
    status: { type: "string" },
    attempts: count,
    distance_m: nullable("number"),
    provider_sid: nullable("string"),
    answered_by: nullable("string"),
    last_error_code: nullable("integer"),
  },
} as const;
