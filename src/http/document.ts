import { errorResponses } from "./error-docs.js";
import { commonErrors, OPERATION_DOCS } from "./operation-docs.js";
import { RESPONSE_EXAMPLES } from "./response-examples.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const METHODS = ["get", "post", "put", "patch", "delete"];

/**
 * The last touches on the generated document, where the route schemas cannot say it: the server (PUBLIC_URL),
 * each operation's description, its errors by code, its answer's example and a 201's `Location` header. The
 * Twilio webhooks are hidden before this (openapi.ts); `npm run lint:api` holds the result to redocly.yaml.
 */
export function finishDocument(doc: Json, { publicUrl }: { publicUrl: string }): Json {
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {}))
    for (const method of METHODS.filter((m) => item[m])) finishOperation(path, item[method]);
  const used = new Set(Object.values<Json>(doc.paths ?? {}).flatMap((item) => Object.values<Json>(item)));
  const tags = new Set([...used].flatMap((op) => op.tags ?? []));
  return {
    ...doc,
    servers: [{ url: publicUrl, description: "This service (its PUBLIC_URL)" }],
    tags: doc.tags?.filter((t: { name: string }) => tags.has(t.name) || t.name === "webhooks"),
  };
}

function finishOperation(path: string, op: Json) {
  const extra = OPERATION_DOCS[op.operationId];
  if (!extra) return;
  op.description = extra.description;
  const errors = [...new Set([...commonErrors(path, op), ...extra.errors])];
  const { "4XX": anyClientError, "5XX": anyServerError, ...own } = op.responses ?? {};
  const responses = { ...own, ...errorResponses(errors), "4XX": anyClientError, "5XX": anyServerError };
  for (const [code, response] of Object.entries<Json>(responses)) {
    if (!/^2/.test(code)) continue;
    if (response.description === "Default Response") response.description = code === "201" ? "Created" : "OK";
    const example = RESPONSE_EXAMPLES[op.operationId];
    const json = response.content?.["application/json"];
    if (example !== undefined && json && !json.example && !json.examples) json.example = example;
    if (code === "201" && extra.location)
      response.headers = {
        Location: {
          description: `Where the new resource is: \`${extra.location}\``,
          required: true,
          schema: { type: "string", format: "uri-reference" },
        },
      };
  }
  // The catch-alls stay (a client generator types every other status as the Error shape).
  for (const code of ["4XX", "5XX"]) {
    if (responses[code]) responses[code].description = "Any other error, in the same shape";
    else delete responses[code];
  }
  op.responses = responses;
}
