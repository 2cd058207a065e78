/** `template` in POST /v1/alerts and its preview; the values are checked per field type by fields.ts. */
export const templateInput = {
  type: "object",
  additionalProperties: false,
  required: ["id", "fields"],
  description: "A template of GET /v1/templates and its field values: fills the texts in every language it has",
  properties: {
    id: { type: "string", minLength: 1, maxLength: 40 },
    fields: {
      type: "object",
      maxProperties: 20,
      additionalProperties: { type: ["string", "integer", "null"], maxLength: 400 },
    },
  },
} as const;

const labels = { type: "object", additionalProperties: { type: "string" } } as const;

/** GET /v1/templates. */
export const templatesOutput = {
  type: "object",
  properties: {
    languages: { type: "array", items: { type: "string" }, description: "The languages every template has texts in" },
    templates: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: { type: "string" },
          kind: { type: "string" },
          title: labels,
          fields: {
            type: "array",
            items: {
              type: "object",
              properties: {
                name: { type: "string" },
                type: { enum: ["text", "integer", "time", "licencePlate"] },
                required: { type: "boolean" },
                maxLength: { type: "integer" },
                minimum: { type: "integer" },
                maximum: { type: "integer" },
                label: labels,
              },
            },
          },
          sentences: {
            type: "object",
            description: "Per language: {field} is a value, [ … ] is left out when a field in it is not given",
            additionalProperties: {
              type: "object",
              properties: { voice: { type: "string" }, sms: { type: "string" } },
            },
          },
        },
      },
    },
  },
} as const;
