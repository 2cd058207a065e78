/** One operationId per route, keyed by method and OpenAPI path: the names a generated client calls. */
export const OPERATIONS: Record<string, string> = {
  "GET /healthz": "getHealth",
  "GET /readyz": "getReadiness",
  "POST /v1/participants": "registerParticipant",
  "POST /v1/participants/{id}/verify": "verifyParticipant",
  "POST /v1/participants/{id}/resend": "resendParticipantCode",
  "GET /v1/participants/{id}": "getParticipant",
  "PATCH /v1/participants/{id}": "updateParticipant",
  "DELETE /v1/participants/{id}": "eraseParticipant",
  "POST /v1/alerts/preview": "previewAlert",
  "POST /v1/alerts": "createAlert",
  "GET /v1/alerts": "listAlerts",
  "GET /v1/alerts/{id}": "getAlert",
  "GET /v1/alerts/{id}/deliveries": "listAlertDeliveries",
  "POST /v1/alerts/{id}/dispatch": "dispatchAlert",
  "POST /v1/alerts/{id}/cancel": "cancelAlert",
  "POST /v1/alerts/{id}/close": "closeAlert",
  "GET /v1/templates": "listTemplates",
  "POST /v1/alerts/{id}/updates": "postAlertUpdate",
  "POST /v1/alerts/{id}/extend": "extendAlert",
  "GET /v1/alerts/{id}/report": "getAlertReport",
  "GET /v1/analytics": "getAnalytics",
  "GET /v1/alerts/{id}/sightings": "listAlertSightings",
  "GET /v1/sightings/{id}": "getSighting",
  "GET /v1/sightings/{id}/recording": "getSightingRecording",
  "POST /v1/webhooks": "createWebhook",
  "GET /v1/webhooks": "listWebhooks",
  "GET /v1/webhooks/{id}": "getWebhook",
  "PATCH /v1/webhooks/{id}": "updateWebhook",
  "DELETE /v1/webhooks/{id}": "deleteWebhook",
  "POST /v1/webhooks/{id}/rotate-secret": "rotateWebhookSecret",
  "GET /v1/webhooks/{id}/deliveries": "listWebhookDeliveries",
  "POST /v1/webhooks/{id}/replay": "replayWebhookDeliveries",
  "GET /v1/live": "openLiveFeed",
  "DELETE /v1/keys/{id}": "revokeApiKey",
  "POST /v1/cap": "submitCapMessage",
  "GET /v1/regions": "listRegions",
  "GET /v1/regions/{code}": "getRegion",
  "PUT /v1/regions/{code}": "updateRegion",
  "POST /twilio/voice/alert": "twilioAlertCall",
  "POST /twilio/voice/menu": "twilioMenu",
  "POST /twilio/voice/tip": "twilioTip",
  "POST /twilio/voice/recorded": "twilioRecorded",
  "POST /twilio/voice/whisper": "twilioWhisper",
  "POST /twilio/voice/dialed": "twilioDialed",
  "POST /twilio/voice/unsubscribe": "twilioUnsubscribe",
  "POST /twilio/voice/postcode": "twilioPostcode",
  "POST /twilio/voice/inbound": "twilioInboundCall",
  "POST /twilio/voice/pick": "twilioPickAlert",
  "POST /twilio/voice/amd": "twilioAnsweringMachine",
  "POST /twilio/voice/voicemail": "twilioVoicemail",
  "POST /twilio/voice/closing": "twilioClosingCall",
  "POST /twilio/voice/status": "twilioCallStatus",
  "POST /twilio/sms/inbound": "twilioInboundSms",
  "POST /twilio/sms/status": "twilioSmsStatus",
};

export const TAGS = [
  { name: "health", description: "Liveness and readiness, for load balancers and orchestrators" },
  { name: "participants", description: "Registration (role `registration`): sign-up, verification, changes, erasure" },
  { name: "alerts", description: "Alerts of the operator's own police unit: preview, create, follow, cancel, close" },
  { name: "reports", description: "Results of an alert: report (JSON or CSV)" },
  { name: "sightings", description: "Citizens' tips of an alert: transcripts, keys, recordings" },
  { name: "webhooks", description: "Operator webhook subscriptions (Standard Webhooks) and their deliveries" },
  { name: "live", description: "The live WebSocket feed of events, region-scoped" },
  { name: "cap", description: "CAP 1.2 intake (application/cap+xml): Alert, Update, Cancel" },
  { name: "regions", description: "The 10 police units and their meldkamer numbers" },
  { name: "keys", description: "API keys (admin)" },
  { name: "twilio", description: "Twilio webhooks: TwiML and callbacks, each signature-checked against PUBLIC_URL" },
];

const BY_PREFIX: [RegExp, string][] = [
  [/^\/(healthz|readyz)$/, "health"],
  [/^\/v1\/alerts\/\{id\}\/report$/, "reports"],
  [/^\/v1\/templates$/, "alerts"],
  [/^\/v1\/alerts\/\{id\}\/sightings$|^\/v1\/sightings/, "sightings"],
  [/^\/v1\/(participants|alerts|webhooks|live|cap|regions|keys)/, "$1"],
  [/^\/twilio\//, "twilio"],
];

export function tagOf(path: string): string {
  for (const [re, tag] of BY_PREFIX) {
    const m = re.exec(path);
    if (m) return tag.replace("$1", m[1] ?? "");
  }
  return "other";
}
