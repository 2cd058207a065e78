import { EVENT_TYPES } from "../events/publish.js";
import { safeInteger, timestamp } from "../http/schemas.js";
import { REGION_CODE_PATTERN } from "../regions/code.js";

export const subscriptionOutput = {
  type: "object",
  required: ["id", "region", "url", "eventTypes", "status", "createdAt"],
  properties: {
    id: { type: "string", format: "uuid" },
    region: { type: "string" },
    url: { type: "string" },
    eventTypes: { type: "array", items: { type: "string" } },
    description: { type: ["string", "null"] },
    status: { type: "string", enum: ["active", "disabled"] },
    disabledReason: { type: ["string", "null"] },
    keyId: {
      type: ["string", "null"],
      format: "uuid",
      description: "The API key that answers for it: created it, last changed its URL or re-enabled it",
    },
    createdAt: { type: "string", format: "date-time" },
    previousSecretExpiresAt: { type: ["string", "null"], format: "date-time" },
    secret: { type: "string", description: "Shown once, at creation and rotation" },
  },
} as const;

const eventTypes = {
  type: "array",
  minItems: 1,
  maxItems: EVENT_TYPES.length,
  uniqueItems: true,
  items: { type: "string", enum: [...EVENT_TYPES] },
} as const;

export const createSubscriptionBody = {
  type: "object",
  additionalProperties: false,
  required: ["url", "eventTypes"],
  properties: {
    url: { type: "string", minLength: 8, maxLength: 2048 },
    eventTypes,
    description: { type: "string", maxLength: 500 },
    region: {
      type: "string",
      pattern: REGION_CODE_PATTERN,
      description: "Admins only; operators subscribe for their own region",
    },
  },
} as const;

export const patchSubscriptionBody = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: {
    url: { type: "string", minLength: 8, maxLength: 2048 },
    eventTypes,
    description: { type: "string", maxLength: 500 },
    status: {
      type: "string",
      enum: ["active"],
      description: "Re-enable a subscription that was disabled (e.g. after 410)",
    },
  },
} as const;

export const idParams = {
  type: "object",
  required: ["id"],
  properties: { id: { type: "string", format: "uuid" } },
} as const;

export const deliveriesQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    status: { type: "string", enum: ["pending", "sending", "succeeded", "failed"] },
    before: { ...safeInteger(1), description: "Page: deliveries with a smaller id" },
    limit: { type: "integer", minimum: 1, maximum: 200, default: 50 },
  },
} as const;

export const deliveriesOutput = {
  type: "object",
  properties: {
    deliveries: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: { type: "integer" },
          webhookId: { type: "string" },
          eventType: { type: "string" },
          status: { type: "string" },
          attempts: { type: "integer" },
          nextAttemptAt: { type: ["string", "null"], format: "date-time" },
          lastStatusCode: { type: ["integer", "null"] },
          lastError: { type: ["string", "null"] },
          succeededAt: { type: ["string", "null"], format: "date-time" },
          createdAt: { type: "string", format: "date-time" },
          attemptLog: {
            type: "array",
            items: {
              type: "object",
              properties: {
                at: { type: "string" },
                durationMs: { type: "integer" },
                statusCode: { type: ["integer", "null"] },
                error: { type: ["string", "null"] },
                retryAfterSeconds: { type: ["integer", "null"] },
              },
            },
          },
        },
      },
    },
    nextBefore: { type: ["integer", "null"] },
  },
} as const;

export const replayBody = {
  type: "object",
  additionalProperties: false,
  required: ["since"],
  properties: {
    since: timestamp,
    until: timestamp,
    eventIds: { type: "array", maxItems: 1000, items: { type: "string", format: "uuid" } },
    includeSucceeded: { type: "boolean", default: false, description: "Also resend what was delivered already" },
  },
} as const;

export const replayOutput = { type: "object", properties: { queued: { type: "integer" } } } as const;
