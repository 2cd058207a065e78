import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { clientTypes } from "../../scripts/generate-client.js";
import { ANALYTICS_CSV_COLUMNS } from "../../src/analytics/csv.js";
import { EVENT_TYPES } from "../../src/events/publish.js";
import { bearer, startStack, type Stack } from "../helpers/stack.js";

let stack: Stack;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let doc: any;
before(async () => {
  // Webhook targets on 127.0.0.1 are allowed here: the test only creates a subscription, nothing is sent.
  stack = await startStack({ dispatch: { autoStart: false }, env: { WEBHOOK_ALLOW_PRIVATE: "true" } });
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
  assert.ok(routes.length >= 30, `${routes.length} routes`);
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
  const analytics = operations().find((o) => o.path === "/v1/analytics" && o.method === "get")!;
  const csv = analytics.op.responses["200"].content["text/csv"];
  assert.ok(csv, "analytics as text/csv");
  assert.ok(analytics.op.responses["200"].content["application/json"], "and as JSON");
  assert.equal(csv.example.split("\r\n")[0], ANALYTICS_CSV_COLUMNS.join(","), "the example has the columns served");
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

test("the Twilio webhooks are for the carrier alone: neither in the document nor in the generated client", () => {
  assert.deepEqual(
    Object.keys(doc.paths).filter((p) => p.startsWith("/twilio/")),
    [],
  );
  assert.ok(
    stack.app.openApiRoutes.some((r) => r.path.startsWith("/twilio/") && r.hidden),
    "the routes still exist",
  );
  const committed = readFileSync(new URL("../../src/client/api.ts", import.meta.url), "utf8");
  assert.equal(committed.includes("/twilio/"), false);
});

test("every operator-facing operation says what it does, who may call it, its errors by code, examples, security", () => {
  const problems: string[] = [];
  for (const { method, path, op } of operations()) {
    const where = `${method.toUpperCase()} ${path}`;
    if (!op.summary || !(op.description?.length > 40)) problems.push(`${where}: summary and description`);
    if (!Array.isArray(op.security)) problems.push(`${where}: security`);
    if (path.startsWith("/v1/") && !/keys/.test(op.description ?? "")) problems.push(`${where}: who may call it`);
    const body = op.requestBody?.content ?? {};
    for (const [type, media] of Object.entries<{ examples?: object; example?: unknown; schema?: object }>(body))
      if (!media.example && !media.examples && !resolve(media.schema)?.examples)
        problems.push(`${where}: ${type} example`);
    const ok = Object.entries<{ content?: Record<string, { example?: unknown }> }>(op.responses).find(([c]) =>
      /^2/.test(c),
    );
    const json = ok?.[1].content?.["application/json"];
    if (json && json.example === undefined) problems.push(`${where}: answer example`);
    type Answer = { content?: Record<string, { examples?: object; schema?: { $ref?: string } }> };
    for (const [code, r] of Object.entries<Answer>(op.responses)) {
      const isError = r.content?.["application/json"]?.schema?.$ref === "#/components/schemas/Error";
      if (!/^[45]\d\d$/.test(code) || !isError) continue;
      const codes = Object.keys(r.content?.["application/json"]?.examples ?? {});
      if (!codes.length || !codes.every((c) => c.startsWith("BN_"))) problems.push(`${where}: ${code} names its codes`);
    }
    if (path.startsWith("/v1/") && !op.responses["401"]) problems.push(`${where}: 401`);
  }
  assert.deepEqual(problems, []);
});

test("servers is PUBLIC_URL; each 201 declares a Location header, and the routes send it", async () => {
  assert.deepEqual(
    doc.servers.map((s: { url: string }) => s.url),
    [stack.config.publicUrl],
  );
  const created = operations().filter(({ op }) => op.responses["201"]);
  assert.deepEqual(created.map(({ op }) => op.operationId).sort(), [
    "createAlert",
    "createWebhook",
    "submitCapMessage",
  ]);
  for (const { op } of created) assert.ok(op.responses["201"].headers?.Location, `${op.operationId} declares Location`);

  const headers = { ...bearer(stack.keys.operator), "content-type": "application/json" };
  const post = (url: string, body: string, type = "application/json") =>
    fetch(`${stack.url}${url}`, { method: "POST", headers: { ...headers, "content-type": type }, body });
  const alertBody = { ...exampleOf("/v1/alerts"), dispatch: false };
  const alert = await post("/v1/alerts", JSON.stringify(alertBody));
  assert.equal(alert.status, 201);
  assert.equal(alert.headers.get("location"), `/v1/alerts/${(await alert.json()).id}`);
  const hook = await post(
    "/v1/webhooks",
    JSON.stringify({ url: "https://127.0.0.1:9/hook", eventTypes: ["alert.created"] }),
  );
  assert.equal(hook.status, 201);
  assert.equal(hook.headers.get("location"), `/v1/webhooks/${(await hook.json()).id}`);
  const cap = operations().find((o) => o.path === "/v1/cap")!.op.requestBody.content["application/cap+xml"];
  const xml = (cap.example as string).replace("<status>Actual", "<status>Exercise");
  const capAnswer = await post("/v1/cap", xml, "application/cap+xml");
  assert.equal(capAnswer.status, 201, await capAnswer.clone().text());
  assert.equal(capAnswer.headers.get("location"), `/v1/alerts/${(await capAnswer.json()).alertIds[0]}`);
});

function exampleOf(path: string) {
  const media = operations().find((o) => o.path === path && o.method === "post")!.op.requestBody.content[
    "application/json"
  ];
  return (
    media.example ??
    Object.values<{ value: unknown }>(media.examples ?? {})[0]?.value ??
    resolve(media.schema).examples[0]
  );
}

test("the live feed: 101 with both subprotocols described, and docs/asyncapi.yaml knows every event type", () => {
  const live = doc.paths["/v1/live"].get;
  assert.ok(live.responses["101"].headers["Sec-WebSocket-Protocol"]);
  for (const word of ["burgernet.v1", "bearer.<key>", "hello", "heartbeat", "since"])
    assert.ok(live.description.includes(word), word);
  const asyncapi = readFileSync(new URL("../../docs/asyncapi.yaml", import.meta.url), "utf8");
  assert.match(asyncapi, /^asyncapi: 3\.0\.0$/m);
  const listed = [...asyncapi.matchAll(/^ {12}- ([a-z]+\.[a-z_]+)$/gm)].map((m) => m[1]);
  assert.deepEqual(listed.sort(), [...EVENT_TYPES].sort());
});
