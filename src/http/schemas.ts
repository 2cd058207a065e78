/** The one error shape, declared once for OpenAPI. */
export const errorSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: { code: { type: "string" }, message: { type: "string" }, details: {} },
    },
  },
} as const;

export const errorResponses = {
  "4xx": errorSchema,
  "5xx": errorSchema,
} as const;
