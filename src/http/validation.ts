import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import type { FastifyInstance } from "fastify";
import { addAreaKeyword, forValidation } from "../alerts/area-schema.js";

function makeAjv(coerceTypes: boolean | "array") {
  const ajv = new Ajv({ allErrors: true, removeAdditional: false, useDefaults: true, coerceTypes, strict: false });
  addFormats.default(ajv);
  return addAreaKeyword(ajv);
}

/**
 * JSON bodies are checked strictly (a string is not a number, unknown fields are errors); query strings and
 * path parameters are text by nature and are coerced.
 */
export function installValidation(app: FastifyInstance) {
  const strict = makeAjv(false);
  const lenient = makeAjv("array");
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === "body" ? strict : lenient).compile(forValidation(schema)),
  );
}
