/** JSON Schemas of the template files: the shape; load.ts checks what a schema cannot (fields used, sentences). */
const ID = { type: "string", pattern: "^[a-z][a-z_]{1,39}$" } as const;
const FIELD_NAME = "^[a-z][A-Za-z]{1,39}$";
const SENTENCE = { type: "string", minLength: 1, maxLength: 1000 } as const;

export const definitionsSchema = {
  type: "object",
  additionalProperties: false,
  required: ["fields", "templates"],
  properties: {
    $comment: { type: "string" },
    fields: {
      type: "object",
      minProperties: 1,
      propertyNames: { pattern: FIELD_NAME },
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["type"],
        properties: {
          type: { enum: ["text", "integer", "time", "licencePlate"] },
          maxLength: { type: "integer", minimum: 1, maximum: 400 },
          minimum: { type: "integer" },
          maximum: { type: "integer" },
        },
      },
    },
    templates: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id", "kind", "required", "optional"],
        properties: {
          id: ID,
          kind: { enum: ["suspect", "vehicle", "missing_person", "missing_child", "other"] },
          required: { type: "array", uniqueItems: true, items: { type: "string" } },
          optional: { type: "array", uniqueItems: true, items: { type: "string" } },
        },
      },
    },
  },
} as const;

export const languageSchema = {
  type: "object",
  additionalProperties: false,
  required: ["language", "fields", "templates"],
  properties: {
    $comment: { type: "string" },
    language: { type: "string", pattern: "^[a-z]{2,3}-[A-Z]{2}$" },
    // Who wrote the sentences and whether a native speaker has reviewed them (as in voice-scripts/).
    translation: {
      type: "object",
      additionalProperties: false,
      required: ["author", "reviewedByNativeSpeaker"],
      properties: {
        author: { type: "string", minLength: 2, maxLength: 200 },
        reviewedByNativeSpeaker: { type: "boolean" },
        reviewedBy: { type: "string", minLength: 2, maxLength: 200 },
      },
    },
    fields: { type: "object", additionalProperties: { type: "string", minLength: 1, maxLength: 60 } },
    templates: {
      type: "object",
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["title", "voice", "sms"],
        properties: { title: { type: "string", minLength: 1, maxLength: 60 }, voice: SENTENCE, sms: SENTENCE },
      },
    },
  },
} as const;
