import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import dependentRequired from "ajv/dist/vocabularies/validation/dependentRequired.js";
import type { FastifyInstance } from "fastify";
import { addAreaKeyword, forValidation } from "../alerts/area-schema.js";

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * RFC 3339 date-time that PostgreSQL's timestamptz and JavaScript's Date both take as the same instant: a real
 * calendar date, no leap second, an offset within a day, and years 0001..9999 in UTC too.
 */
export function isStrictDateTime(text: string): boolean {
  const m = DATE_TIME.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeap(year) ? 1 : 0);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  if (m[7] !== undefined && (Number(m[7]) > 23 || Number(m[8]) > 59)) return false;
  const at = new Date(text);
  return !Number.isNaN(at.getTime()) && at.getUTCFullYear() >= 1 && at.getUTCFullYear() <= 9999;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function makeAjv(coerceTypes: boolean | "array") {
  const ajv = new Ajv({ allErrors: true, removeAdditional: false, useDefaults: true, coerceTypes, strict: false });
  addFormats.default(ajv);
  ajv.addFormat("date-time", { type: "string", validate: isStrictDateTime });
  // The 2019-09 keyword OpenAPI 3.1 tools read (draft-04 `dependencies` is invisible to them); ajv's draft-07
  // instance knows it only when told.
  ajv.addKeyword(dependentRequired.default);
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
