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

/**
 * Shared bounded pieces for request schemas. Every integer a client sends fits a JavaScript number exactly and
 * PostgreSQL's bigint; every time is a real instant of years 0001..9999 (the date-time format is made strict in
 * validation.ts); every cursor is short base64url. Past these bounds the request is a 400, never a database error.
 */
export const safeInteger = (minimum = 0, maximum = Number.MAX_SAFE_INTEGER) =>
  ({ type: "integer", minimum, maximum }) as const;

/** A row id (bigserial) used as a page boundary. */
export const rowIdCursor = safeInteger(0);

/** RFC 3339 with an offset, years 0001..9999, no leap second (PostgreSQL and JavaScript both refuse :60). */
export const timestamp = { type: "string", format: "date-time", maxLength: 35 } as const;

/** An opaque page cursor as this service writes it. */
export const opaqueCursor = { type: "string", maxLength: 200, pattern: "^[A-Za-z0-9_-]*$" } as const;
