import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { bearer, startStack, type Stack } from "../helpers/stack.js";
import { createApiKey } from "../../src/access/keys.js";
import { buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createTwilioClient } from "../../src/twilio/client.js";

let s: Stack;
before(async () => {
  s = await startStack({ env: { LIVE_MAX_CONNECTIONS_PER_KEY: "2" } });
});
after(() => s.close());

describe("/metrics", () => {
  test("needs an admin or metrics key; other roles are refused", async () => {
    assert.equal((await s.app.inject("/metrics")).statusCode, 401);
    const operator = await s.app.inject({ url: "/metrics", headers: bearer(s.keys.operator) });
    assert.equal(operator.statusCode, 403);
    assert.equal(operator.json().error.code, "BN_FORBIDDEN");
    const metricsKey = (await createApiKey(s.db, { role: "metrics" })).key;
    const res = await s.app.inject({ url: "/metrics", headers: bearer(metricsKey) });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /^burgernet_simulated_network 0$/m, "credentials set: a carrier (here the emulator's API)");
    const alerts = await s.app.inject({ url: "/v1/alerts", headers: bearer(metricsKey) });
    assert.equal(alerts.statusCode, 403, "a metrics key reads metrics only");
    assert.equal((await s.app.inject("/readyz")).json().network, "carrier");
  });
});

describe("trustProxy", () => {
  let app: FastifyInstance;
  before(async () => {
    const config = loadConfig({
      LOG_LEVEL: "silent",
      TWILIO_ACCOUNT_SID: `AC${"0".repeat(32)}`,
      TWILIO_AUTH_TOKEN: "x".repeat(32),
      TRUST_PROXY: "10.0.0.7",
    });
    app = await buildApp({
      config,
      db: s.db,
      twilio: createTwilioClient({ ...config.twilio!, apiUrl: "http://127.0.0.1:9" }),
      logger: false,
      dispatch: { autoStart: false },
    });
    app.get("/test/ip", async (req) => ({ ip: req.ip }));
  });
  after(() => app.close());

  const ipSeen = async (remoteAddress: string) =>
    (await app.inject({ url: "/test/ip", remoteAddress, headers: { "x-forwarded-for": "203.0.113.9" } })).json().ip;

  test("a client's own X-Forwarded-For is not taken as its address; the configured proxy's is", async () => {
    assert.equal(await ipSeen("198.51.100.20"), "198.51.100.20");
    assert.equal(await ipSeen("10.0.0.7"), "203.0.113.9");
  });
});

describe("live feed", () => {
  const connect = (key: string) => s.app.injectWS("/v1/live", { headers: { authorization: `Bearer ${key}` } });
  const closed = (ws: { once: (e: "close", f: (code: number) => void) => void }) =>
    new Promise<number>((r) => ws.once("close", (code) => r(code)));

  test("at most LIVE_MAX_CONNECTIONS_PER_KEY sockets per key; revoking the key closes them", async () => {
    const { id, key } = await createApiKey(s.db, { role: "operator", region: "RE05" });
    const first = await connect(key);
    const second = await connect(key);
    await assert.rejects(connect(key), /429/);
    const other = await connect(s.keys.operator); // another key is not affected
    const closing = [closed(first), closed(second)];

    const revoked = await s.app.inject({ method: "DELETE", url: `/v1/keys/${id}`, headers: bearer(s.keys.admin) });
    assert.equal(revoked.statusCode, 204);
    assert.deepEqual(await Promise.all(closing), [4401, 4401]);
    assert.equal(other.readyState, other.OPEN);
    other.terminate();
    await assert.rejects(connect(key), /401/);
    assert.equal((await s.app.inject({ url: "/v1/alerts", headers: bearer(key) })).statusCode, 401);
    const audit = await s.db.query("SELECT actor, action FROM audit_log WHERE subject_id = $1", [id]);
    assert.deepEqual(
      audit.rows.map((r) => r.action),
      ["api_key.revoked"],
    );
  });

  test("only an admin revokes keys; an unknown key is 404", async () => {
    const { id } = await createApiKey(s.db, { role: "registration" });
    const byOperator = await s.app.inject({
      method: "DELETE",
      url: `/v1/keys/${id}`,
      headers: bearer(s.keys.operator),
    });
    assert.equal(byOperator.statusCode, 403);
    const unknown = await s.app.inject({
      method: "DELETE",
      url: "/v1/keys/00000000-0000-4000-8000-000000000000",
      headers: bearer(s.keys.admin),
    });
    assert.equal(unknown.statusCode, 404);
  });
});

describe("CAP idempotency per police unit", () => {
  // A 2 km circle on the border of Amsterdam (RE05) and Midden-Nederland (RE03): each unit may send it, clipped.
  const xml = readFileSync(new URL("../fixtures/cap/nl_alert_circle.xml", import.meta.url), "utf8").replaceAll(
    "52.3731,4.8926 2",
    "52.331,5.029 2",
  );
  const post = (key: string, body = xml) =>
    s.app.inject({
      method: "POST",
      url: "/v1/cap",
      headers: { ...bearer(key), "content-type": "application/cap+xml" },
      payload: body,
    });

  test("the same sender and identifier from two units are two messages; within a unit it is one", async () => {
    const re03 = (await createApiKey(s.db, { role: "operator", region: "RE03" })).key;
    const fromRe05 = await post(s.keys.operator);
    assert.ok(fromRe05.statusCode < 300, fromRe05.body);
    const fromRe03 = await post(re03);
    assert.ok(fromRe03.statusCode < 300, fromRe03.body);
    assert.equal(fromRe03.json().duplicate, false);
    assert.notDeepEqual(fromRe03.json().alertIds, fromRe05.json().alertIds);
    const again = await post(s.keys.operator);
    assert.equal(again.json().duplicate, true);
    assert.deepEqual(again.json().alertIds, fromRe05.json().alertIds);
    const regions = await s.db.query("SELECT region_code FROM alerts WHERE source = 'cap' ORDER BY region_code");
    assert.deepEqual(
      regions.rows.map((r) => r.region_code),
      ["RE03", "RE05"],
    );
  });

  test("a CAP area outside the key's unit is refused and writes nothing", async () => {
    const before = (await s.db.query("SELECT count(*)::int AS n FROM alerts")).rows[0].n;
    const res = await post(s.keys.otherRegion, xml.replaceAll("BN-TEST-CIRCLE-1", "BN-TEST-CIRCLE-RE07"));
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, "BN_AREA_OUTSIDE_REGION");
    assert.equal((await s.db.query("SELECT count(*)::int AS n FROM alerts")).rows[0].n, before);
  });
});
