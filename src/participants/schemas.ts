import { DAYS } from "./windows.js";
import { LANGUAGES } from "../languages/languages.js";

const hhmm = { type: "string", pattern: "^([01][0-9]|2[0-3]):[0-5][0-9]$" } as const;

export const windowSchema = {
  type: "object",
  additionalProperties: false,
  required: ["days", "from", "to"],
  properties: {
    days: { type: "array", minItems: 1, maxItems: 7, uniqueItems: true, items: { enum: DAYS } },
    from: hhmm,
    to: hhmm,
  },
  description: "Weekly schedule in Europe/Amsterdam; from > to spans midnight. Absent: always.",
} as const;

export const locationInput = {
  type: "object",
  additionalProperties: false,
  required: ["kind", "postcode"],
  properties: {
    kind: { enum: ["home", "work"] },
    postcode: { type: "string", maxLength: 8, description: "Dutch postcode: `1234 AB` or `1234`" },
    houseNumber: { type: "string", maxLength: 10 },
    lat: { type: "number", minimum: -90, maximum: 90 },
    lon: { type: "number", minimum: -180, maximum: 180 },
    window: windowSchema,
  },
  dependentRequired: { lat: ["lon"], lon: ["lat"] },
} as const;

const channels = {
  type: "array",
  minItems: 1,
  maxItems: 2,
  uniqueItems: true,
  items: { enum: ["voice", "sms"] },
} as const;

const drills = {
  type: "boolean",
  description: "Take part in drills (practice alerts, `mode: drill`); off unless asked for. By SMS: OEFENING / DRILL",
} as const;

export const createParticipantBody = {
  type: "object",
  additionalProperties: false,
  required: ["phone", "channels", "locations"],
  properties: {
    phone: { type: "string", minLength: 3, maxLength: 32 },
    language: {
      enum: LANGUAGES,
      default: "nl",
      description:
        "The language of calls and SMS: Dutch, English, German, French, Polish, Turkish, Arabic or Ukrainian",
    },
    channels,
    locations: { type: "array", minItems: 1, maxItems: 4, items: locationInput },
    textOnly: {
      type: "boolean",
      description:
        "Text only (deaf and hard-of-hearing participants): never called, also for voice-only alerts; every alert " +
        "comes by SMS, and an SMS reply during a live alert opens a conversation with the meldkamer. Needs `sms`",
    },
    drills,
  },
} as const;

export const patchParticipantBody = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: {
    language: { enum: LANGUAGES },
    channels,
    locations: { type: "array", minItems: 1, maxItems: 4, items: locationInput },
    textOnly: {
      type: "boolean",
      description:
        "Text only (deaf and hard-of-hearing participants): never called, also for voice-only alerts; every alert " +
        "comes by SMS, and an SMS reply during a live alert opens a conversation with the meldkamer. Needs `sms`",
    },
    drills,
  },
} as const;

export const verifyBody = {
  type: "object",
  additionalProperties: false,
  required: ["code"],
  properties: { code: { type: "string", pattern: "^[0-9]{6}$" } },
} as const;

export const idParams = {
  type: "object",
  required: ["id"],
  properties: { id: { type: "string", format: "uuid" } },
} as const;

const locationOutput = {
  type: "object",
  properties: {
    id: { type: "string" },
    kind: { type: "string" },
    postcode: { type: "string" },
    houseNumber: { type: ["string", "null"] },
    lat: { type: "number" },
    lon: { type: "number" },
    source: { type: "string" },
    window: { anyOf: [{ type: "null" }, windowSchema] },
  },
} as const;

export const participantOutput = {
  type: "object",
  properties: {
    id: { type: "string" },
    phone: { type: ["string", "null"] },
    language: { enum: LANGUAGES },
    channels: { type: "array", items: { type: "string" } },
    textOnly: { type: "boolean", description: "Never called; every alert by SMS" },
    drills: { type: "boolean" },
    status: { type: "string" },
    locations: { type: "array", items: locationOutput },
    createdAt: { type: "string" },
    verifiedAt: { type: ["string", "null"] },
  },
} as const;

export const registrationAccepted = {
  type: "object",
  properties: {
    id: { type: "string" },
    status: { type: "string" },
    codeExpiresAt: { type: "string" },
  },
} as const;
