/** An example of each operation's successful answer (keyed by operationId); redocly checks them against the schemas. */
import { ACTUAL_COST_EXAMPLE, BUDGET_EXAMPLE, EXPECTED_COST_EXAMPLE } from "../cost/schemas.js";
const ALERT_ID = "0b6f3c1e-6a4e-4f0e-9c39-2b1f7d1f4a10";
const WEBHOOK_ID = "5f2a7f0e-1c1b-4d3e-8d7a-6b2f4e9c1a22";
const SIGHTING_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const PARTICIPANT_ID = "3c9d1f7e-2b4a-4c6d-9e8f-7a6b5c4d3e2f";
const KEY_ID = "7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9";

const alert = {
  id: ALERT_ID,
  region: "RE05",
  kind: "missing_child",
  priority: "urgent",
  status: "dispatching",
  texts: {
    nl: {
      voice: "Wij zoeken een jongen van acht jaar met een rode jas, vermist bij de Dam.",
      sms: "Burgernet: vermist jongen (8), rode jas, bij de Dam. Gezien? Bel 0800-0011.",
    },
  },
  area: { type: "circle", center: { lat: 52.3731, lon: 4.8926 }, radiusMeters: 2000 },
  channels: ["voice", "sms"],
  targeting: { participants: 1840, voice: 1650, sms: 1210, skipped: { windowClosed: 96 } },
  progress: { pending: 2360, sending: 12, ringing: 48, answered: 301, voicemail: 62, delivered: 75, no_answer: 2 },
  summary: { total: 2860, queued: 2372, atCarrier: 48, reached: 431, unreached: 2 },
  presenceCheck: true,
  presence: { near: 212, away: 64, unknown: 25 },
  reachedWithinM: 640,
  outcome: null,
  closingMessage: null,
  createdAt: "2026-12-01T20:00:04.512Z",
  expiresAt: "2026-12-01T22:00:04.512Z",
  dispatchStartedAt: "2026-12-01T20:00:04.530Z",
  dispatchedAt: null,
  estimatedFinishAt: "2026-12-01T20:01:12.000Z",
  closedAt: null,
  cancelledAt: null,
  mode: "live",
  escalation: { afterMinutes: 10, minAnswered: 25, radiusMeters: 4000 },
  escalationCheckedAt: null,
};

const subscription = {
  id: WEBHOOK_ID,
  region: "RE05",
  url: "https://meldkamer.example.nl/burgernet/events",
  eventTypes: ["alert.progress", "sighting.created"],
  description: "Meldkamer Amsterdam dispatch system",
  status: "active",
  disabledReason: null,
  keyId: KEY_ID,
  createdAt: "2026-12-01T19:58:00.000Z",
  previousSecretExpiresAt: null,
};

const sighting = {
  id: SIGHTING_ID,
  alertId: ALERT_ID,
  region: "RE05",
  source: "voice",
  caller: "+316•••••678",
  digits: "2",
  transcript: "Ik zie een jongen met een rode jas bij de ingang van het station.",
  confidence: 0.91,
  distanceM: 420,
  createdAt: "2026-12-01T20:03:41.000Z",
  recording: `/v1/sightings/${SIGHTING_ID}/recording`,
  recordingDurationS: 14,
  callerArea: { pc4: "1012", place: "Amsterdam", lat: 52.3735, lon: 4.8951 },
  clusterId: SIGHTING_ID,
  plate: "12-ABC-3",
  plates: ["12-ABC-3"],
  namesAlertPlate: true,
  place: { lat: 52.374, lon: 4.89 },
};

const analyticsFigures = {
  alerts: 212,
  targeted: 604_300,
  reached: 471_500,
  reachedPct: 78,
  calls: 350_200,
  answered: 240_900,
  answeredPct: 68.8,
  eyesInArea: 3_120,
  tips: 1_650,
  tipsPer1000Reached: 3.5,
  putThrough: 380,
  medianSecondsToFirstTip: 84.5,
  closed: 205,
  found: 131,
  foundPct: 63.9,
  costEur: 42_398.16,
  costPerAlertEur: 199.99,
  costPerTipEur: 25.7,
};

const CONVERSATION_ID = "5c4b3a29-1807-4f6e-9d5c-4b3a2918f7e6";
const message = {
  id: "413",
  conversationId: CONVERSATION_ID,
  direction: "out",
  text: "Burgernet: dank u. Welke kant liep hij op?",
  author: KEY_ID,
  createdAt: "2026-12-01T20:05:02.000Z",
};

const region = { code: "RE05", name: "Amsterdam", meldkamerNumber: "+31205599111" };

export const RESPONSE_EXAMPLES: Record<string, unknown> = {
  getHealth: { status: "ok" },
  getReadiness: {
    status: "ok",
    network: "carrier",
    dispatch: { voice: { state: "running" }, sms: { state: "running" } },
  },
  previewAlert: {
    region: "RE05",
    participants: 1840,
    voice: 1650,
    sms: 1210,
    skipped: { windowClosed: 96 },
    quietHours: false,
    unit: { region: "RE05", fit: "inside" },
    reach: { limit: 50000, exceeded: false, needsAdminKey: false },
    smsText: {
      nl: { segments: 1, encoding: "GSM-7", characters: 117, totalSegments: 1210 },
      ar: { segments: 1, encoding: "UCS-2", characters: 52, totalSegments: 1210 },
    },
    byLanguage: {
      nl: { participants: 1690, voice: 1520, sms: 1100 },
      ar: { participants: 64, voice: 58, sms: 50 },
      pl: { participants: 52, voice: 44, sms: 38 },
      uk: { participants: 34, voice: 28, sms: 22 },
    },
    fallback: {
      participants: 86,
      byLanguage: {
        pl: {
          participants: 52,
          voice: 44,
          sms: 38,
          smsText: { encoding: "UCS-2", characters: 111, segments: 2 },
        },
        uk: {
          participants: 34,
          voice: 28,
          sms: 22,
          smsText: { encoding: "UCS-2", characters: 109, segments: 2 },
        },
      },
    },
    estimatedSeconds: 58,
    kind: "vehicle",
    texts: {
      nl: {
        voice:
          "De politie zoekt een voertuig: een Volkswagen Golf, kleur grijs, met kenteken " +
          '<say-as interpret-as="spell-out">12-ABC-3</say-as>. Laatst gezien bij de Dam om 21:40 uur. ' +
          "Benader de inzittenden niet.",
        sms:
          "Gezocht: Volkswagen Golf, kleur grijs, kenteken 12-ABC-3. Laatst gezien: de Dam om 21:40. " +
          "Gezien? Bel 112.",
        smsSegments: { encoding: "GSM-7", characters: 117, segments: 1 },
        spokenSeconds: 14,
      },
    },
    cost: EXPECTED_COST_EXAMPLE,
    budget: BUDGET_EXAMPLE,
  },
  listTemplates: {
    languages: ["en", "nl"],
    templates: [
      {
        id: "vehicle",
        kind: "vehicle",
        title: { en: "Vehicle", nl: "Voertuig" },
        fields: [
          {
            name: "vehicleMake",
            type: "text",
            maxLength: 40,
            required: true,
            label: { en: "Make and model", nl: "Merk en type" },
          },
          {
            name: "licencePlate",
            type: "licencePlate",
            required: true,
            label: { en: "Licence plate", nl: "Kenteken" },
          },
          {
            name: "lastSeenAt",
            type: "time",
            required: false,
            label: { en: "Last seen (time, hh:mm)", nl: "Laatst gezien (tijd, uu:mm)" },
          },
        ],
        sentences: {
          nl: {
            voice:
              "De politie zoekt een voertuig: een {vehicleMake}, met kenteken {licencePlate}." +
              "[ Gezien om {lastSeenAt} uur.]",
            sms: "Gezocht: {vehicleMake}, kenteken {licencePlate}.[ Gezien om {lastSeenAt}.] Gezien? Bel 112.",
          },
        },
      },
    ],
  },
  createAlert: alert,
  postAlertUpdate: {
    alertId: ALERT_ID,
    seq: 1,
    notify: "reached",
    notified: 431,
    texts: {
      nl: {
        voice: "De jongen draagt nu een blauwe muts. Ziet u hem, druk dan op 1.",
        sms: "Update: de jongen (8) draagt nu een blauwe muts. Gezien? Bel 0800-0011.",
      },
    },
    createdAt: "2026-12-01T20:12:00.000Z",
  },
  extendAlert: {
    alertId: ALERT_ID,
    added: 2310,
    voice: 2050,
    sms: 1490,
    skipped: { time_window: 120, quiet_hours: 0, channel: 4, outside_region: 0, already_targeted: 1840 },
    area: { type: "circle", center: { lat: 52.3731, lon: 4.8926 }, radiusMeters: 4000 },
  },
  listAlerts: [alert],
  getAlert: { ...alert, cost: ACTUAL_COST_EXAMPLE },
  attachAlertPhoto: { alertId: ALERT_ID, contentType: "image/jpeg", width: 1280, height: 960, bytes: 182344 },
  dispatchAlert: alert,
  cancelAlert: { ...alert, status: "cancelled", cancelledAt: "2026-12-01T20:02:00.000Z", estimatedFinishAt: null },
  closeAlert: {
    ...alert,
    status: "closed",
    outcome: "found",
    closingMessage: "Burgernet: de jongen is gevonden. Bedankt voor uw hulp.",
    closedAt: "2026-12-01T20:40:00.000Z",
    estimatedFinishAt: null,
  },
  listAlertDeliveries: [
    {
      id: 81234,
      participant_id: PARTICIPANT_ID,
      phone: "+316•••••678",
      channel: "voice",
      purpose: "alert",
      status: "completed",
      attempts: 1,
      distance_m: 420,
      provider_sid: "CA0123456789abcdef0123456789abcdef",
      answered_by: "human",
      last_error_code: null,
    },
  ],
  getAlertReport: {
    alertId: ALERT_ID,
    status: "closed",
    mode: "live",
    targeted: 2860,
    reached: 2412,
    inProgress: 0,
    canceled: 0,
    calls: { total: 1650, answered: 1210, voicemail: 240, busy: 40, noAnswer: 150, failed: 10 },
    sms: { total: 1210, delivered: 1190, failed: 20 },
    tips: { total: 7, voice: 5, sms: 2, inbound: 0 },
    presence: { near: 890, away: 262, unknown: 58 },
    putThrough: 3,
    timeToFirstAnswerSeconds: 4.2,
    timeToFirstTipSeconds: 61.5,
    photo: { links: 1210, opened: 388, views: 512 },
    cost: ACTUAL_COST_EXAMPLE,
    followUps: { updates: 1, notified: 2412, reached: 2380 },
    widened: 0,
  },
  getAnalytics: {
    from: "2026-01-01T00:00:00.000Z",
    to: "2027-01-01T00:00:00.000Z",
    groupBy: "unit",
    drill: false,
    groups: [{ key: "RE05", drill: false, ...analyticsFigures }],
    totals: [{ drill: false, ...analyticsFigures }],
  },
  listAlertSightings: { sightings: [sighting], next: null },
  getSighting: sighting,
  listAlertConversations: [
    {
      id: CONVERSATION_ID,
      alertId: ALERT_ID,
      participantId: PARTICIPANT_ID,
      phone: "+316•••••678",
      open: true,
      createdAt: "2026-12-01T20:04:10.000Z",
      lastMessageAt: "2026-12-01T20:05:02.000Z",
      messages: [
        { ...message, id: "412", direction: "in", text: "Ik zag hem net bij de bakker op de hoek.", author: null },
        message,
      ],
    },
  ],
  replyInConversation: message,
  submitCapMessage: { msgType: "Alert", action: "created", alertIds: [ALERT_ID], duplicate: false },
  createWebhook: { ...subscription, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" },
  listWebhooks: { webhooks: [subscription] },
  getWebhook: subscription,
  updateWebhook: subscription,
  rotateWebhookSecret: {
    ...subscription,
    previousSecretExpiresAt: "2026-12-02T19:58:00.000Z",
    secret: "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
  },
  listWebhookDeliveries: {
    deliveries: [
      {
        id: 5521,
        webhookId: "evt_2b1f7d1f4a100b6f3c1e6a4e",
        eventType: "sighting.created",
        status: "succeeded",
        attempts: 2,
        nextAttemptAt: null,
        lastStatusCode: 200,
        lastError: null,
        succeededAt: "2026-12-01T20:03:47.000Z",
        createdAt: "2026-12-01T20:03:41.000Z",
        attemptLog: [
          {
            at: "2026-12-01T20:03:41.100Z",
            durationMs: 10000,
            statusCode: null,
            error: "timeout",
            retryAfterSeconds: null,
          },
          { at: "2026-12-01T20:03:47.000Z", durationMs: 84, statusCode: 200, error: null, retryAfterSeconds: null },
        ],
      },
    ],
    nextBefore: null,
  },
  replayWebhookDeliveries: { queued: 12 },
  registerParticipant: { id: PARTICIPANT_ID, status: "pending", codeExpiresAt: "2026-12-01T19:10:00.000Z" },
  verifyParticipant: {
    id: PARTICIPANT_ID,
    phone: "+316•••••678",
    language: "nl",
    channels: ["sms", "voice"],
    textOnly: false,
    status: "active",
    locations: [
      {
        id: "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f",
        kind: "home",
        postcode: "3811 AB",
        houseNumber: null,
        lat: 52.1561,
        lon: 5.3878,
        source: "pc4",
        window: null,
      },
    ],
    createdAt: "2026-12-01T19:00:00.000Z",
    verifiedAt: "2026-12-01T19:02:10.000Z",
  },
  listRegions: [region],
  getRegion: {
    ...region,
    boundary: { type: "Feature", properties: { code: "RE05" }, geometry: { type: "MultiPolygon", coordinates: [] } },
    municipalities: { type: "FeatureCollection", features: [] },
  },
  updateRegion: region,
};
for (const op of ["getParticipant", "updateParticipant"]) RESPONSE_EXAMPLES[op] = RESPONSE_EXAMPLES.verifyParticipant;
RESPONSE_EXAMPLES.resendParticipantCode = RESPONSE_EXAMPLES.registerParticipant;
