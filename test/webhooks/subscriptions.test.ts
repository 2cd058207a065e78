import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import { isPrivateAddress } from "../../src/webhooks/ssrf.js";
import {
  bearer,
  createTestDb,
  emit,
  keysFor,
  startApp,
  startReceiver,
  subscribe,
  waitFor,
  type TestDb,
} from "./harness.js";

let db: TestDb;
let app: FastifyInstance;
let keys: Awaited<ReturnType<typeof keysFor>>;
// Creation sees a public address; at send time the same name answers with loopback (DNS rebinding).
let rebound = false;
const resolver = async (host: string) =>
  host === "hooks.example.test"
    ? [rebound ? "127.0.0.1" : "93.184.216.34"]
    : host === "intranet.example.test"
      ? ["10.1.2.3"]
      : [];

before(async () => {
  db = await createTestDb();
  app = await startApp({ db, allowPrivate: false, webhooks: { resolver } });
  keys = await keysFor(db);
});
after(async () => {
  await app.close();
  await db.drop();
});

const count = async () => (await db.query("SELECT count(*)::int AS n FROM webhook_subscriptions")).rows[0].n as number;

describe("webhook subscriptions", () => {
  test("bad input gets a clear 4xx and stores nothing", async () => {
    const cases: [object, RegExp][] = [
      [{ url: "http://hooks.example.com/x", eventTypes: ["alert.created"] }, /https/],
      [{ url: "https://127.0.0.1/x", eventTypes: ["alert.created"] }, /private|loopback/],
      [{ url: "https://[::1]/x", eventTypes: ["alert.created"] }, /private|loopback/],
      [{ url: "https://[::ffff:7f00:1]/x", eventTypes: ["alert.created"] }, /private|loopback/],
      [{ url: "https://169.254.169.254/latest/meta-data", eventTypes: ["alert.created"] }, /private|link-local/],
      [{ url: "https://10.0.0.8/x", eventTypes: ["alert.created"] }, /private/],
      [{ url: "https://localhost/x", eventTypes: ["alert.created"] }, /local/],
      [{ url: "https://intranet.example.test/x", eventTypes: ["alert.created"] }, /resolves to a private/],
      [{ url: "https://user:pw@hooks.example.com/x", eventTypes: ["alert.created"] }, /credentials/],
      [{ url: "not a url at all", eventTypes: ["alert.created"] }, /valid URL/],
      [{ url: "https://hooks.example.com/x", eventTypes: ["alert.exploded"] }, /schema/],
      [{ url: "https://hooks.example.com/x", eventTypes: [] }, /schema/],
      [{ url: "https://hooks.example.com/x", eventTypes: ["alert.created"], secret: "mine" }, /schema/],
    ];
    for (const [body, message] of cases) {
      const res = await subscribe(app, keys.operator, body);
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${JSON.stringify(body)} → ${res.statusCode}`);
      assert.equal(res.json().error.code, "BN_VALIDATION");
      assert.match(res.json().error.message, message, JSON.stringify(body));
    }
    assert.equal(await count(), 0);
  });

  test("only operators and admins may subscribe, operators only for their own region", async () => {
    assert.equal(
      (await subscribe(app, "nope", { url: "https://hooks.example.com/x", eventTypes: ["alert.created"] })).statusCode,
      401,
    );
    assert.equal(
      (await subscribe(app, keys.registration, { url: "https://hooks.example.com/x", eventTypes: ["alert.created"] }))
        .statusCode,
      403,
    );
    assert.equal(
      (
        await subscribe(app, keys.operator, {
          url: "https://hooks.example.com/x",
          eventTypes: ["alert.created"],
          region: "RE07",
        })
      ).statusCode,
      403,
    );
    assert.equal(
      (await subscribe(app, keys.admin, { url: "https://hooks.example.com/x", eventTypes: ["alert.created"] }))
        .statusCode,
      400,
    );
    assert.equal(await count(), 0);
  });

  test("the secret is shown once; other regions cannot see the subscription", async () => {
    const created = await subscribe(app, keys.operator, {
      url: "https://hooks.example.com/x",
      eventTypes: ["alert.created", "alert.closed"],
    });
    assert.equal(created.statusCode, 201);
    const sub = created.json();
    assert.equal(sub.region, "RE05");
    assert.ok(sub.secret.startsWith("whsec_"));
    const read = await app.inject({ method: "GET", url: `/v1/webhooks/${sub.id}`, headers: bearer(keys.operator) });
    assert.equal(read.statusCode, 200);
    assert.equal(read.json().secret, undefined);
    const list = await app.inject({ method: "GET", url: "/v1/webhooks", headers: bearer(keys.operator) });
    assert.deepEqual(
      list.json().webhooks.map((w: { id: string }) => w.id),
      [sub.id],
    );
    assert.ok(!JSON.stringify(list.json()).includes("whsec_"));
    const other = await app.inject({ method: "GET", url: `/v1/webhooks/${sub.id}`, headers: bearer(keys.otherRegion) });
    assert.equal(other.statusCode, 404);
    const otherList = await app.inject({ method: "GET", url: "/v1/webhooks", headers: bearer(keys.otherRegion) });
    assert.deepEqual(otherList.json().webhooks, []);
    const otherDelete = await app.inject({
      method: "DELETE",
      url: `/v1/webhooks/${sub.id}`,
      headers: bearer(keys.otherRegion),
    });
    assert.equal(otherDelete.statusCode, 404);
    const admin = await app.inject({ method: "GET", url: "/v1/webhooks", headers: bearer(keys.admin) });
    assert.equal(admin.json().webhooks.length, 1);
    const del = await app.inject({ method: "DELETE", url: `/v1/webhooks/${sub.id}`, headers: bearer(keys.operator) });
    assert.equal(del.statusCode, 204);
    assert.equal(
      (await app.inject({ method: "GET", url: `/v1/webhooks/${sub.id}`, headers: bearer(keys.operator) })).statusCode,
      404,
    );
  });

  test("a name that resolves to loopback at send time is refused without a connection", async () => {
    const r = await startReceiver();
    try {
      const created = await subscribe(app, keys.operator, {
        url: `https://hooks.example.test:${r.port}/hooks`,
        eventTypes: ["sighting.created"],
      });
      assert.equal(created.statusCode, 201, created.body);
      rebound = true;
      await emit(db, { type: "sighting.created", data: {} });
      const d = await waitFor("refused attempts", async () => {
        const row = (
          await db.query("SELECT attempts, last_error, status FROM webhook_deliveries WHERE subscription_id = $1", [
            created.json().id,
          ])
        ).rows[0];
        return row?.attempts >= 2 && row;
      });
      assert.match(d.last_error, /private, loopback or link-local/);
      assert.equal(d.status, "pending", "kept for a retry: the name may point back out later");
      assert.equal(r.stats().connections, 0);
    } finally {
      await r.close();
    }
  });
});

describe("private address ranges", () => {
  test("are recognised in IPv4, IPv6 and IPv4-in-IPv6 forms", () => {
    for (const ip of [
      "127.0.0.1",
      "10.255.0.1",
      "172.16.5.4",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "::1",
      "::",
      "fe80::1",
      "fd00::1",
      "::ffff:127.0.0.1",
      "::ffff:a9fe:a9fe",
      "64:ff9b::10.0.0.1",
      // IPv4 hidden in other IPv6 forms: IPv4-compatible, SIIT, NAT64 in hex, 6to4, Teredo, local NAT64.
      "::127.0.0.1",
      "::a00:1",
      "::ffff:0:192.168.0.1",
      "64:ff9b::7f00:1",
      "2002:7f00:1::",
      "2002:c0a8:101::1",
      "2001:0:4136:e378:8000:63bf:3fff:fdd2",
      "64:ff9b:1::a00:1",
    ]) {
      assert.equal(isPrivateAddress(ip), true, ip);
    }
    for (const ip of [
      "93.184.216.34",
      "172.32.0.1",
      "8.8.8.8",
      "2a00:1450:4001:82a::200e",
      "::ffff:8.8.8.8",
      "2002:808:808::1",
      "64:ff9b::8.8.8.8",
      "2001:4860::8888",
    ]) {
      assert.equal(isPrivateAddress(ip), false, ip);
    }
  });
});
