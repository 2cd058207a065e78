import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { clientTypes } from "../../scripts/generate-client.js";
import { startStack, type Stack } from "../helpers/stack.js";

let stack: Stack;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let doc: any;
before(async () => {
  stack = await startStack({ dispatch: { autoStart: false } });
  doc = await (await fetch(`${stack.url}/openapi.json`)).json();
});
after(() => stack.close());

const METHODS = ["get", "post", "put", "patch", "delete"];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function operations(): { method: string; path: string; op: any }[] {
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as object)
      .filter(([m]) => METHODS.includes(m))
      .map(([method, op]) => ({ method, path, op })),
  );
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const resolve = (s: any) => (s?.$ref ? doc.components.schemas[s.$ref.replace("#/components/schemas/", "")] : s);

test("every route the service answers is in the document, and every operation in the document is a route", () => {
  const documented = new Set(operations().map(({ method, path }) => `${method.toUpperCase()} ${path}`));
  const routes = stack.app.openApiRoutes.filter((r) => !r.hidden).map((r) => `${r.method} ${r.path}`);
  assert.deepEqual([...new Set(routes)].sort(), [...documented].sort());
  assert.ok(routes.length >= 40, `${routes.length} routes`);
});

test("every operation has a unique operationId, a tag, a 2xx schema (or 204) and the error schema for 4xx and 5xx", () => {
  const problems: string[] = [];
  const ids = new Map<string, string>();
  for (const { method, path, op } of operations()) {
    const where = `${method.toUpperCase()} ${path}`;
    if (!/^[a-z][A-Za-z0-9]+$/.test(op.operationId ?? "")) problems.push(`${where}: operationId ${op.operationId}`);
    else if (ids.has(op.operationId))
      problems.push(`${where}: operationId ${op.operationId} also on ${ids.get(op.operationId)}`);
    else ids.set(op.operationId, where);
    if (!op.tags?.length || !op.tags.every((t: string) => doc.tags.some((d: { name: string }) => d.name === t)))
      problems.push(`${where}: tags ${op.tags}`);
    const ok = Object.entries(op.responses ?? {}).filter(([code]) => /^2/.test(code));
    const upgrade = op.tags?.includes("live") && op.responses?.["101"]; // the WebSocket feed
    if (!ok.length && !upgrade) problems.push(`${where}: no 2xx response`);
    for (const [code, r] of ok as [string, { content?: Record<string, { schema?: unknown }> }][]) {
      if (code === "204") continue;
      const schemas = Object.values(r.content ?? {}).map((c) => c.schema);
      if (!schemas.length || schemas.some((s) => !s)) problems.push(`${where}: ${code} without a schema`);
    }
    for (const code of ["4XX", "5XX"]) {
      const schema = op.responses?.[code]?.content?.["application/json"]?.schema;
      if (schema?.$ref !== "#/components/schemas/Error") problems.push(`${where}: ${code} is not the Error schema`);
    }
  }
  assert.deepEqual(problems, []);
});

test("shared schemas are components; the error schema is the one shape; webhooks document the event payloads", () => {
  const error = resolve({ $ref: "#/components/schemas/Error" });
  assert.deepEqual(error.required, ["error"]);
  assert.deepEqual(error.properties.error.required, ["code", "message"]);
  assert.equal(doc.openapi.startsWith("3.1"), true);
  const events = Object.keys(doc.webhooks ?? {});
  for (const type of ["alert.created", "alert.progress", "alert.cancelled", "alert.closed", "sighting.created"])
    assert.ok(events.includes(type), `webhook ${type} documented (${events})`);
  const sighting = doc.webhooks["sighting.created"].post;
  assert.ok(sighting.requestBody.content["application/json"].schema);
  assert.ok(sighting.parameters.some((p: { name: string }) => p.name === "webhook-signature"));
});

test("the CAP intake and the CSV report are described with their media types", () => {
  const cap = operations().find((o) => o.path === "/v1/cap" && o.method === "post")!;
  assert.ok(cap.op.requestBody.content["application/cap+xml"], "CAP body as application/cap+xml");
  const report = operations().find((o) => o.path === "/v1/alerts/{id}/report" && o.method === "get")!;
  assert.ok(report.op.responses["200"].content["text/csv"], "report as text/csv");
  assert.ok(report.op.responses["200"].content["application/json"], "and as JSON");
});

test("the document answers what a client generator needs: examples on the alert and participant bodies", () => {
  const bodies = operations()
    .filter((o) => ["/v1/alerts", "/v1/participants"].includes(o.path) && o.method === "post")
    .map((o) => o.op.requestBody.content["application/json"]);
  assert.equal(bodies.length, 2);
  for (const b of bodies) assert.ok(b.examples || b.example || resolve(b.schema).examples, "an example");
});

test("the typed client (src/client/api.ts) is generated from this document: regenerate it when the routes change", async () => {
  const committed = readFileSync(new URL("../../src/client/api.ts", import.meta.url), "utf8");
  assert.ok(committed === (await clientTypes(doc)), "src/client/api.ts is stale: npm run client:generate");
});
