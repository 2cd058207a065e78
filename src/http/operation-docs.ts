import { ALERT_DOCS } from "./operation-docs-alerts.js";

/** What the document says of one operation beyond its route schema (keyed by operationId, operations.ts). */
export interface OperationDoc {
  /** What it does, who may call it, what it writes. */
  description: string;
  /** The error codes it can answer with besides those every operation of its kind has (see commonErrors). */
  errors: string[];
  /** For a 201: the path the `Location` header names. */
  location?: string;
}

const REGISTRATION = "Registration keys (and admin keys); a participant is seen only by the key that registered it.";
const OPERATOR = "Operator keys (their own police unit) and admin keys.";
const participant = ["BN_PARTICIPANT_NOT_FOUND"];
const webhook = ["BN_NOT_FOUND"];

export const OPERATION_DOCS: Record<string, OperationDoc> = {
  ...ALERT_DOCS,
  getHealth: { description: "Liveness: the process answers. No key needed; reads nothing.", errors: [] },
  getReadiness: {
    description:
      "Readiness: the database is reachable and every migration applied (else 503). `dispatch` shows a channel " +
      "the carrier refused at account level (`degraded`, still 200). `network` says whether calls go to simulated " +
      "citizens. No key needed; reads only.",
    errors: [],
  },
  registerParticipant: {
    description:
      "Registers a phone number with one to four locations (home, work; each with an optional weekly window) and " +
      `sends a 6-digit code by SMS; the participant is reached only once verified. ${REGISTRATION} Writes the ` +
      "pending participant, its locations and the audit entry. Sending codes is limited per phone, per key and " +
      "in total per hour.",
    errors: [
      "BN_INVALID_PHONE",
      "BN_PHONE_NOT_ALLOWED",
      "BN_UNKNOWN_POSTCODE",
      "BN_OUTSIDE_NETHERLANDS",
      "BN_RATE_LIMITED",
    ],
  },
  verifyParticipant: {
    description:
      `Proves the phone with the code sent by SMS (5 attempts, 10 minutes). ${REGISTRATION} Writes the status ` +
      "(active) and the audit entry.",
    errors: [...participant, "BN_CONFLICT", "BN_VERIFICATION_FAILED", "BN_RATE_LIMITED"],
  },
  resendParticipantCode: {
    description: `Sends a new code to a pending participant (one a minute at most). ${REGISTRATION} Writes the code.`,
    errors: [...participant, "BN_CONFLICT", "BN_RATE_LIMITED"],
  },
  getParticipant: {
    description: `A participant with its locations; the phone number is masked. ${REGISTRATION} Reads only.`,
    errors: participant,
  },
  updateParticipant: {
    description:
      `Changes language, channels or locations (a new list replaces the old). ${REGISTRATION} Writes the ` +
      "participant, its locations and the audit entry.",
    errors: [
      ...participant,
      "BN_INVALID_PHONE",
      "BN_PHONE_NOT_ALLOWED",
      "BN_UNKNOWN_POSTCODE",
      "BN_OUTSIDE_NETHERLANDS",
      "BN_CONFLICT",
    ],
  },
  eraseParticipant: {
    description:
      "Erases the participant everywhere the number was (a never-verified registration: that record alone); an " +
      `anonymous tombstone keeps past alerts' counts right. ${REGISTRATION} Writes the erasure and its audit entry.`,
    errors: participant,
  },
  createWebhook: {
    description:
      "Subscribes an https endpoint to event types of the key's police unit. Deliveries are signed as Standard " +
      "Webhooks with the `secret` answered here, once. The URL must resolve to a public address. " +
      `${OPERATOR} Writes the subscription and the audit entry; answers 201 with its \`Location\`.`,
    errors: ["BN_CONFLICT"],
    location: "/v1/webhooks/{id}",
  },
  listWebhooks: { description: `The unit's subscriptions, without secrets. ${OPERATOR} Reads only.`, errors: [] },
  getWebhook: { description: `One subscription, without its secret. ${OPERATOR} Reads only.`, errors: webhook },
  updateWebhook: {
    description:
      `Changes the URL, event types or description, or re-enables a disabled subscription (\`status: active\`). ` +
      `${OPERATOR} Writes the subscription and the audit entry; the key becomes the one that answers for it.`,
    errors: webhook,
  },
  deleteWebhook: {
    description: `Unsubscribes; deliveries not yet made are dropped. ${OPERATOR} Writes the deletion and audit entry.`,
    errors: webhook,
  },
  rotateWebhookSecret: {
    description:
      "Answers a new secret, once. The old one keeps signing beside it for 24 hours (two `v1,` signatures), so a " +
      `receiver can switch without losing events. ${OPERATOR} Writes the secret and the audit entry.`,
    errors: webhook,
  },
  listWebhookDeliveries: {
    description: `Deliveries with every attempt (status code, error, duration), newest first. ${OPERATOR} Reads only.`,
    errors: webhook,
  },
  replayWebhookDeliveries: {
    description:
      "Queues the events of a time window again, each with its original `webhook-id` so receivers deduplicate. " +
      `${OPERATOR} Writes the queued deliveries and the audit entry.`,
    errors: webhook,
  },
  revokeApiKey: {
    description:
      "Revokes a key at once: its requests answer 401, its live-feed sockets close and the webhook subscriptions " +
      "it answers for are disabled. Admin keys only. Writes the revocation and the audit entry.",
    errors: ["BN_NOT_FOUND"],
  },
  listRegions: {
    description: `The police units the key may see (its own; every unit for admin keys). ${OPERATOR} Reads only.`,
    errors: [],
  },
  getRegion: {
    description: `A police unit with its boundary and municipalities as GeoJSON. ${OPERATOR} Reads only.`,
    errors: ["BN_NOT_FOUND"],
  },
  updateRegion: {
    description:
      "Sets the meldkamer number a citizen is put through to (key 1), or null. Admin keys only. Writes the " +
      "number and the audit entry.",
    errors: ["BN_NOT_FOUND"],
  },
};

/** What every operation of a kind can answer: no key, a key without the role, a bad request, our failure. */
export function commonErrors(path: string, op: { requestBody?: object; parameters?: unknown[] }): string[] {
  const codes = path.startsWith("/v1/") ? ["BN_UNAUTHORIZED", "BN_FORBIDDEN"] : [];
  if (op.parameters?.length) codes.push("BN_VALIDATION");
  if (path.includes("{")) codes.push("BN_BAD_URL", "BN_URI_TOO_LONG");
  if (op.requestBody)
    codes.push("BN_VALIDATION", "BN_MALFORMED_BODY", "BN_BODY_TOO_LARGE", "BN_UNSUPPORTED_MEDIA_TYPE");
  return [...codes, "BN_INTERNAL"];
}
