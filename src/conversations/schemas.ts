import { CONVERSATION_LIMITS } from "./limits.js";

export const alertParams = {
  type: "object",
  required: ["id"],
  properties: { id: { type: "string", format: "uuid" } },
} as const;

export const conversationParams = {
  type: "object",
  required: ["id", "cid"],
  properties: { id: { type: "string", format: "uuid" }, cid: { type: "string", format: "uuid" } },
} as const;

const { inbound, outbound } = CONVERSATION_LIMITS;

export const replyBody = {
  type: "object",
  additionalProperties: false,
  required: ["text"],
  properties: {
    text: {
      type: "string",
      minLength: 1,
      maxLength: 480,
      pattern: "\\S",
      description:
        `Sent by SMS as "Burgernet: <text>", at most 3 segments. At most ${outbound.messages} replies per ` +
        `conversation in ${outbound.windowSeconds} s (429 BN_RATE_LIMITED beyond)`,
    },
  },
} as const;

export const messageOutput = {
  type: "object",
  properties: {
    id: { type: "string" },
    conversationId: { type: "string" },
    direction: { enum: ["in", "out"], description: "in: from the citizen; out: an operator's reply" },
    text: { type: "string", description: "Phone numbers in it masked" },
    author: { type: ["string", "null"], description: "The API key that replied (out)" },
    createdAt: { type: "string" },
  },
} as const;

export const conversationOutput = {
  type: "object",
  properties: {
    id: { type: "string" },
    alertId: { type: "string" },
    participantId: { type: "string" },
    phone: { type: ["string", "null"], description: "Masked: +316•••••678" },
    open: { type: "boolean", description: "The alert is live: replies can be sent; it ends with the alert" },
    createdAt: { type: "string" },
    lastMessageAt: { type: "string" },
    messages: { type: "array", items: messageOutput },
  },
} as const;

export const conversationList = {
  type: "array",
  items: conversationOutput,
  description:
    `A text-only participant's SMS during the live alert opens one; each citizen's messages beyond ` +
    `${inbound.messages} in ${inbound.windowSeconds} s are ignored`,
} as const;
