import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { bearer, startStack, type Stack } from "../helpers/stack.js";
import { capturedLogger } from "../helpers/log-capture.js";

// Issue 21 §3 (last bullet) and §5: a request without a valid key learns nothing about the schemas, and a key put
// in a query string never reaches the log.
const { lines, logger } = capturedLogger("info");
let s: Stack;
before(async () => {
  s = await startStack({
    dispatch: { autoStart: false },
    webhooks: { enabled: false },
    logger,
  });
});
after(() => s.close());

type Req = { method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"; url: string; payload?: string | object };
const json = { "content-type": "application/json" };
const id = "00000000-0000-4000-8000-000000000000";
const bodies: [Req, Record<string, string>][] = [
  [{ method: "POST", url: "/v1/alerts/preview", payload: {} }, {}],
  [{ method: "POST", url: "/v1/alerts", payload: "{not json" }, json],
  [{ method: "POST", url: "/v1/alerts", payload: "kind=suspect" }, { "content-type": "text/plain" }],
  [{ method: "POST", url: `/v1/alerts/${id}/close`, payload: { outcome: 1 } }, {}],
  [{ method: "GET", url: "/v1/alerts?limit=abc&before=yesterday" }, {}],
  [{ method: "GET", url: "/v1/alerts/not-a-uuid" }, {}],
  [{ method: "POST", url: "/v1/webhooks", payload: { url: 5 } }, {}],
  [{ method: "GET", url: `/v1/webhooks/${id}/deliveries?before=1e20` }, {}],
  [{ method: "POST", url: "/v1/participants", payload: {} }, {}],
  [{ method: "POST", url: "/v1/cap", payload: "<not-cap" }, { "content-type": "application/cap+xml" }],
  [{ method: "POST", url: "/v1/cap", payload: "x" }, { "content-type": "application/json" }],
  [{ method: "PUT", url: "/v1/regions/RE99", payload: { meldkamerNumber: 5 } }, {}],
  [{ method: "DELETE", url: "/v1/keys/not-a-uuid" }, {}],
];

describe("no key, a revoked-looking key or a key of the wrong role: refused before the body is read", () => {
  test("without a key every request is 401 with no schema details", async () => {
    for (const [req, headers] of bodies) {
      const res = await s.app.inject({ ...req, headers } as never);
      assert.equal(res.statusCode, 401, `${req.method} ${req.url}: ${res.body}`);
      assert.deepEqual(Object.keys(res.json().error).sort(), ["code", "message"], res.body);
      assert.equal(res.json().error.code, "BN_UNAUTHORIZED");
    }
  });

  test("with an unknown key the same", async () => {
    for (const [req, headers] of bodies) {
      const res = await s.app.inject({ ...req, headers: { ...headers, ...bearer("bn_nonsense") } } as never);
      assert.equal(res.statusCode, 401, `${req.method} ${req.url}: ${res.body}`);
    }
  });

  test("a registration key on the operator API is 403 before its body is validated", async () => {
    const res = await s.app.inject({
      method: "POST",
      url: "/v1/alerts/preview",
      headers: bearer(s.keys.registration),
      payload: {},
    });
    assert.equal(res.statusCode, 403, res.body);
    assert.equal(res.json().error.details, undefined);
  });
});

describe("the request log", () => {
  test("never holds a query string: a key passed as ?key= is not logged", async () => {
    const from = lines.length;
    const key = s.keys.operator;
    await s.app.inject({ method: "GET", url: `/v1/live?key=${key}` });
    await s.app.inject({ method: "GET", url: `/v1/alerts?key=${key}&phone=%2B31612345678`, headers: bearer(key) });
    const log = lines.slice(from).join("\n");
    assert.ok(log.includes('"url":"/v1/alerts"'), log);
    assert.ok(!log.includes(key), log);
    assert.ok(!log.includes(key.slice(-12)), log);
    assert.ok(!log.includes("31612345678"), log);
  });
});
