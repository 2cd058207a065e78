import type { FastifyInstance } from "fastify";
import { Errors, withDetails } from "../errors.js";

/**
 * NUL and unpaired UTF-16 surrogates are not text: PostgreSQL refuses NUL in text and jsonb, and a lone surrogate
 * in jsonb, with an error that quotes the value. They are refused here, for every route, before any schema or
 * handler sees the request.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this refuses
const NOT_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const isText = (s: string) => !NOT_TEXT.test(s);

/** The path of the first string (value or key) that is not text, or null. Iterative: a deep body is no risk. */
export function firstNonText(value: unknown, root: string): string | null {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === "string") {
      if (!isText(v)) return path;
    } else if (v && typeof v === "object") {
      for (const [k, child] of Object.entries(v)) {
        if (!isText(k)) return path;
        stack.push([child, `${path}/${k}`]);
      }
    }
  }
  return null;
}

export function installStrictText(app: FastifyInstance) {
  app.addHook("preValidation", async (req) => {
    for (const [part, value] of [
      ["querystring", req.query],
      ["params", req.params],
      ["body", req.body],
    ] as const) {
      const path = firstNonText(value, part);
      if (path)
        throw withDetails(new Errors.Validation("Text may not contain NUL or unpaired surrogate characters"), [
          { path },
        ]);
    }
  });
}
