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

/** Every route's 4xx and 5xx: the shared `Error` component (added by installOpenApi). */
export const errorResponses = {
  "4xx": { $ref: "Error#" },
  "5xx": { $ref: "Error#" },
} as const;
