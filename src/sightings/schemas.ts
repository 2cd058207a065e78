import { opaqueCursor } from "../http/schemas.js";

export const sightingIdParams = {
  type: "object",
  required: ["id"],
  properties: { id: { type: "string", format: "uuid" } },
} as const;

export const sightingsQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    limit: { type: "integer", minimum: 1, maximum: 500, default: 100 },
    after: { ...opaqueCursor, description: "Page: the `next` of the previous page" },
  },
} as const;

export const sightingOutput = {
  type: "object",
  properties: {
    id: { type: "string" },
    alertId: { type: ["string", "null"] },
    region: { type: "string" },
    source: { type: "string", enum: ["voice", "sms", "inbound"] },
    caller: { type: ["string", "null"], description: "Masked: +316•••••678" },
    digits: { type: ["string", "null"] },
    transcript: { type: ["string", "null"], description: "null once the retention period has passed" },
    confidence: { type: ["number", "null"] },
    distanceM: { type: ["integer", "null"], description: "The caller's nearest registered location to the incident" },
    createdAt: { type: "string" },
    recording: {
      type: ["string", "null"],
      description: "Served by this service with your API key (GET …/recording), never the carrier's URL",
    },
    recordingDurationS: { type: ["integer", "null"] },
    callerArea: {
      type: ["object", "null"],
      description:
        "The centre of the caller's postcode area (PC4) nearest the alert, for the map; never the address. " +
        "null when the caller has no registered postcode",
      properties: {
        pc4: { type: "string" },
        place: { type: "string" },
        lat: { type: "number" },
        lon: { type: "number" },
      },
    },
  },
} as const;

export const sightingList = {
  type: "object",
  properties: {
    sightings: { type: "array", items: sightingOutput },
    next: { type: ["string", "null"] },
  },
} as const;
