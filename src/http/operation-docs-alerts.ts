import type { OperationDoc } from "./operation-docs.js";

const OPERATOR = "Operator keys (their own police unit) and admin keys (any unit, `region` in the body).";
const notFound = ["BN_ALERT_NOT_FOUND"];

/** Alerts, their results and tips, and the CAP intake: what each does, who may call it, what it writes. */
export const ALERT_DOCS: Record<string, OperationDoc> = {
  previewAlert: {
    description:
      "Targets the alert as `POST /v1/alerts` would and answers who would be reached, on which channel, what " +
      "was left out and why, the SMS segments per language and how long sending takes at the configured pace; " +
      "`texts` shows every language's texts as they will go out (a `template` filled in), their SMS segments and " +
      "spoken length. A template field that makes a text too long is named in the 400's `details.field`. " +
      "Per participant language (`byLanguage`), and how many get the Dutch text introduced in their language " +
      "because the alert has none in it (`fallback`). " +
      "`cost`: the expected cost in euros (calls, SMS per language, closing messages) from the carrier's " +
      "Pricing API (or the configured fallback table), with its basis; `budget`: the unit's monthly budget and " +
      `whether this alert would cross it (then creating it needs an admin key). ${OPERATOR} Writes nothing.`,
    errors: ["BN_VALIDATION", "BN_INVALID_AREA", "BN_OUTSIDE_NETHERLANDS", "BN_AREA_OUTSIDE_REGION"],
  },
  listTemplates: {
    description:
      "The alert templates (missing child, missing older person with dementia, suspect, vehicle, free text): " +
      "each with its alert kind, typed fields (text, integer, time hh:mm, Dutch licence plate) with labels, and " +
      "its voice and SMS sentences in every language. Start an alert with `template: { id, fields }` in " +
      "`POST /v1/alerts`. A licence plate is written in SMS as the RDW writes it (12-ABC-3) and spelled in calls. " +
      `${OPERATOR} Reads only.`,
    errors: [],
  },
  createAlert: {
    description:
      "Creates an alert for the area (a GeoJSON Polygon or MultiPolygon, bare or as a Feature; a circle; or a " +
      "municipality code), targets it in the same transaction and, unless `dispatch` is false, starts sending " +
      `at once. ${OPERATOR} Writes the alert, one delivery per participant and channel, the audit entry and ` +
      "the `alert.created` event. With an `Idempotency-Key` header a repeat of the same request answers 200 " +
      "with the alert created the first time; a new alert answers 201 with its `Location`. Instead of `texts`, " +
      "`template: { id, fields }` (GET /v1/templates) writes every language's texts; texts given as well replace " +
      "the template's for their language. An unknown template or field, a value of the wrong type or a required " +
      "field left out answers 400 BN_VALIDATION with `details.field`. An SMS that would exceed 3 segments is " +
      "refused (400), also the Dutch text once introduced in the language of a participant it would reach. " +
      '`presenceCheck` (default: on for suspect and vehicle) opens each call with "are you nearby now?" and ends ' +
      'each SMS with "reply YES if you are nearby"; the answers are counted in `presence`. ' +
      "`mode: drill` reaches only participants who opted in to drills, and every call and SMS says it is a drill " +
      "first. `escalation` widens the area once when too few have answered in time.",
    errors: [
      "BN_VALIDATION",
      "BN_AREA_NOT_LARGER",
      "BN_INVALID_AREA",
      "BN_OUTSIDE_NETHERLANDS",
      "BN_AREA_OUTSIDE_REGION",
      "BN_REACH_CAP_EXCEEDED",
      "BN_BUDGET_EXCEEDED",
      "BN_CONFLICT",
    ],
    location: "/v1/alerts/{id}",
  },
  listAlerts: {
    description: `The alerts of the key's police unit (every unit for admin keys), newest first. ${OPERATOR} Reads.`,
    errors: [],
  },
  getAlert: {
    description:
      "One alert with its progress per delivery status and `cost`, what the carrier charged so far (its price of " +
      `each final call and SMS). ${OPERATOR} Another unit's alert answers 404.`,
    errors: notFound,
  },
  listAlertDeliveries: {
    description:
      "The deliveries of an alert (one per participant, channel and purpose), phone numbers masked, paged by id " +
      `with \`after\`. ${OPERATOR} Reads only.`,
    errors: notFound,
  },
  dispatchAlert: {
    description: `Starts sending a draft alert (created with \`dispatch: false\`). ${OPERATOR} Writes its status.`,
    errors: [...notFound, "BN_CONFLICT", "BN_REACH_CAP_EXCEEDED", "BN_BUDGET_EXCEEDED"],
  },
  cancelAlert: {
    description:
      "Cancels a draft, dispatching or active alert: when this returns nothing more is sent; calls already " +
      `ringing are ended. ${OPERATOR} Writes the status, the audit entry and the \`alert.cancelled\` event.`,
    errors: [...notFound, "BN_CONFLICT"],
  },
  closeAlert: {
    description:
      "Closes a dispatching or active alert with its outcome; the closing message goes by SMS to everyone reached. " +
      `${OPERATOR} Writes the outcome, the closing deliveries, the audit entry and the \`alert.closed\` event.`,
    errors: [...notFound, "BN_CONFLICT"],
  },
  attachAlertPhoto: {
    description:
      "Attaches a photo (the body: a JPEG or PNG of at most 5 MB and 40 megapixels; SVG and other formats are " +
      "refused) to a draft or live alert, replacing any earlier one. It is decoded, turned upright, stripped of all " +
      "metadata (EXIF, GPS, XMP) and stored as a JPEG of at most 1280 pixels a side. Every alert SMS sent from then " +
      "on ends with its own link (`PUBLIC_URL/p/<token>`, 128 random bits) to a page with the photo and the alert " +
      "text: no cookies, no third-party requests; 410 once the alert is closed or cancelled, when the photo is " +
      "deleted. Each SMS text must still fit in 3 segments with the link. Voice calls say the photo comes by SMS to " +
      `those who get the SMS too. ${OPERATOR} Writes the photo and the audit entry.`,
    errors: [...notFound, "BN_CONFLICT", "BN_IMAGE_REJECTED"],
  },
  postAlertUpdate: {
    description:
      "Follows up a dispatching or active alert: the new `texts` replace the old ones for everyone not yet reached " +
      "and, with `notify: reached`, each participant already reached gets the update once, by SMS when they take " +
      "SMS on a mobile number and otherwise by a short call; never after a cancel or close, never to someone who " +
      "has said STOP since (checked again as each message goes out). With an `Idempotency-Key` header a repeat " +
      `answers 200 with the first update. ${OPERATOR} Writes the texts, the update, its deliveries, the audit ` +
      "entry and the `alert.updated` event (with how many were notified).",
    errors: [...notFound, "BN_CONFLICT"],
  },
  extendAlert: {
    description:
      "Widens a dispatching or active alert to a larger `area` that holds the current one: only participants not " +
      "yet targeted by this alert are added, nearest to the first area's centre first, inside the operator's unit; " +
      "nobody is contacted twice. The answer and the `alert.extended` event say how many were added. " +
      `${OPERATOR} Writes the area, the added deliveries, the audit entry and the event.`,
    errors: [...notFound, "BN_CONFLICT", "BN_AREA_NOT_LARGER", "BN_AREA_OUTSIDE_REGION", "BN_REACH_CAP_EXCEEDED"],
  },
  getAlertReport: {
    description:
      "The outcome of an alert: targeted, reached, calls and SMS by result, tips, calls put through, time to the " +
      "first answer and tip, how many opened the photo link (`photo`) and what the carrier charged (`cost`). " +
      "`?format=csv` streams one line per delivery (phone numbers masked) instead. " +
      `${OPERATOR} Reads only.`,
    errors: notFound,
  },
  getAnalytics: {
    description:
      "What works across alerts created in [`from`, `to`): per unit, kind, channel, hour (Europe/Amsterdam) or " +
      "language, the participants targeted and reached, calls answered, tips per 1,000 reached, put-throughs, " +
      "the median time to the first tip, the share found, those who said they are near (`eyesInArea`, over " +
      "the alerts that asked) and what the carrier charged (`costEur`, per alert and per tip). Live alerts " +
      "only; `?drill=true` the drills, apart. `totals` are the sums of the alert reports. Channel and language " +
      "split each alert by its deliveries (and tips by the delivery they answer), so an alert may count in more " +
      "than one group. `?format=csv` or `Accept: text/csv`: one line per group, then the totals. " +
      "Operator keys see their own police unit, admin keys every unit. Reads only.",
    errors: ["BN_VALIDATION"],
  },
  listAlertSightings: {
    description:
      "The tips of an alert, oldest first, paged with `after` set to the `next` of the previous page. " +
      "`?groupBy=cluster` answers `groups` instead: related tips (the same licence plate, the same vehicle or " +
      "clothing words, or callers within 400 m and 10 minutes) with their count, newest tip, plates and place, the " +
      "group with the latest tip first (docs/tips-and-analytics.md). " +
      `Transcripts are personal data: ${OPERATOR} Each read is written to the audit log.`,
    errors: [...notFound, "BN_VALIDATION"],
  },
  listAlertConversations: {
    description:
      "The text line of an alert: each conversation a text-only participant opened by SMS during the live alert, " +
      "with its messages (citizen's and operators'), newest conversation first; numbers masked in phone and text. " +
      `A conversation is \`open\` while the alert is live and ends with it. ${OPERATOR} Each read is audited.`,
    errors: notFound,
  },
  replyInConversation: {
    description:
      "Answers a text-only participant by SMS at once (within the shared SMS pace), as `Burgernet: <text>`, at " +
      "most 3 segments. Only while the alert is live (409 after) and the participant still active (409 after STOP " +
      "or erasure); at most 5 replies per conversation per minute (429). " +
      `${OPERATOR} Writes the message, the audit entry and the \`conversation.message\` event. When the carrier ` +
      "refuses the SMS (502 `BN_CARRIER_REFUSED`, with its error code) or is unavailable (503 " +
      "`BN_CARRIER_UNAVAILABLE`), nothing is written as sent.",
    errors: [
      ...notFound,
      "BN_NOT_FOUND",
      "BN_CONFLICT",
      "BN_RATE_LIMITED",
      "BN_CARRIER_REFUSED",
      "BN_CARRIER_UNAVAILABLE",
    ],
  },
  getSighting: {
    description: `One tip with transcript, confidence, distance, time and recording link. ${OPERATOR} Audited.`,
    errors: ["BN_NOT_FOUND"],
  },
  getSightingRecording: {
    description:
      "The recorded audio of a spoken tip, streamed from the carrier through this service (never a carrier URL), " +
      `not cached. ${OPERATOR} Audited.`,
    errors: ["BN_NOT_FOUND"],
  },
  submitCapMessage: {
    description:
      "A CAP 1.2 message from a dispatch system. `Alert` creates an alert (201 with `Location`; `status` Exercise " +
      "makes a drill, Test or Draft a draft), `Update` follows up the running alert it references (new texts, and " +
      "the update once to everyone reached; a draft's texts only), `Cancel` cancels it (200). " +
      "`identifier` + `sender` make a message idempotent: a repeat answers 200 with `duplicate: true`. " +
      `${OPERATOR} Writes what the message does, and the message itself. Validated against the OASIS schema; a ` +
      "DOCTYPE, entity declaration, XInclude or processing instruction is refused.",
    errors: [
      "BN_CAP_UNSAFE",
      "BN_CAP_MALFORMED",
      "BN_CAP_INVALID",
      "BN_CAP_UNSUPPORTED",
      "BN_CAP_UNKNOWN_REFERENCE",
      "BN_INVALID_AREA",
      "BN_OUTSIDE_NETHERLANDS",
      "BN_AREA_OUTSIDE_REGION",
      "BN_REACH_CAP_EXCEEDED",
      "BN_UNSUPPORTED_MEDIA_TYPE",
      "BN_BODY_TOO_LARGE",
    ],
    location: "/v1/alerts/{alertIds[0]}",
  },
};
