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
    groupBy: {
      type: "string",
      enum: ["cluster"],
      description: "`cluster`: related tips in groups, newest group first; `limit` groups in one page",
    },
  },
} as const;

const coarsePlace = {
  type: ["object", "null"],
  properties: { lat: { type: "number" }, lon: { type: "number" } },
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
    clusterId: { type: "string", description: "The group of related tips (same plate, words, or close by)" },
    plate: { type: ["string", "null"], description: "The first licence plate the tip names, as 12-ABC-3" },
    plates: { type: "array", items: { type: "string" } },
    namesAlertPlate: { type: "boolean", description: "The tip names a plate that the alert's own text names" },
    place: {
      ...coarsePlace,
      description: "The caller's targeted location on a 0.002° grid (about 200 m): a place, never an address",
    },
  },
} as const;

export const tipGroup = {
  type: "object",
  properties: {
    clusterId: { type: "string" },
    count: { type: "integer" },
    firstAt: { type: "string" },
    lastAt: { type: "string", description: "When its newest tip came: groups are ordered by it, newest first" },
    plates: { type: "array", items: { type: "string" }, description: "Every plate its tips name" },
    namesAlertPlate: { type: "boolean" },
    place: { ...coarsePlace, description: "The middle of its callers' places, on the same grid" },
    sightingIds: { type: "array", items: { type: "string" }, description: "Newest first" },
    newest: sightingOutput,
  },
} as const;

export const sightingList = {
  type: "object",
  properties: {
    sightings: { type: "array", items: sightingOutput },
    groups: { type: "array", items: tipGroup, description: "With ?groupBy=cluster, instead of `sightings`" },
    next: { type: ["string", "null"] },
  },
} as const;
