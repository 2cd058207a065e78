import assert from "node:assert/strict";
import dns from "node:dns";
import { syncBuiltinESMExports } from "node:module";
import { hostname } from "node:os";
import { after, before, describe, mock, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { createTestDb, keysFor, startApp, subscribe, type TestDb } from "./harness.js";

// Issue 21 §5: the create-time check let through names with a trailing dot and the host's own name, and in
// production (no resolver passed) resolved nothing. The send-time check held; create time is now as strict.
let db: TestDb;
let app: FastifyInstance;
let keys: Awaited<ReturnType<typeof keysFor>>;
const resolver = async (host: string) => (host.replace(/\.$/, "") === "hooks.example.test" ? ["93.184.216.34"] : []);

before(async () => {
  db = await createTestDb();
  app = await startApp({ db, allowPrivate: false, webhooks: { enabled: false, resolver } });
  keys = await keysFor(db);
});
after(async () => {
  await app.close();
  await db.drop();
});

const count = async () => (await db.query("SELECT count(*)::int AS n FROM webhook_subscriptions")).rows[0].n as number;
const own = hostname();

describe("webhook URLs at creation", () => {
  test("local names with a trailing dot, this host's own name and single labels are refused", async () => {
    for (const url of [
      "https://localhost.:8443/",
      "https://LOCALHOST../x",
      "https://foo.localhost./x",
      "https://localhost.localdomain./x",
      "https://intranet.internal./x",
      "https://printer.local./x",
      `https://${own}/x`,
      `https://${own}.:8443/x`,
      `https://${own.toUpperCase()}/x`,
      "https://db/x",
      "https://postgres./x",
      "https://127.0.0.1./x",
      "https://0x7f000001/x",
    ]) {
      const res = await subscribe(app, keys.operator, { url, eventTypes: ["alert.created"] });
      assert.equal(res.statusCode, 400, `${url} → ${res.statusCode} ${res.body}`);
      assert.equal(res.json().error.code, "BN_VALIDATION");
      assert.match(res.json().error.message, /local host name|private, loopback/, url);
    }
    assert.equal(await count(), 0);
  });

  test("a public name is accepted with or without its trailing dot", async () => {
    for (const url of ["https://hooks.example.test/x", "https://hooks.example.test./y"]) {
      const res = await subscribe(app, keys.operator, { url, eventTypes: ["alert.created"] });
      assert.equal(res.statusCode, 201, `${url} → ${res.body}`);
    }
  });
});

describe("without a resolver of its own (as in production) the system resolver is asked at creation", () => {
  let bare: FastifyInstance;
  let bareDb: TestDb;
  before(async () => {
    bareDb = await createTestDb();
    bare = await startApp({ db: bareDb, allowPrivate: false, webhooks: { enabled: false } });
    // The machine's resolver, answered here: a public-looking name that points into the private network.
    mock.method(dns.promises, "lookup", async () => [{ address: "10.1.2.3", family: 4 }]);
    syncBuiltinESMExports();
  });
  after(async () => {
    mock.restoreAll();
    syncBuiltinESMExports();
    await bare.close();
    await bareDb.drop();
  });

  test("a name resolving to a private address is refused before anything is stored", async () => {
    const k = await keysFor(bareDb);
    const res = await subscribe(bare, k.operator, {
      url: "https://hooks.example.com/x",
      eventTypes: ["alert.created"],
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.json().error.message, /resolves to a private/);
    const n = (await bareDb.query("SELECT count(*)::int AS n FROM webhook_subscriptions")).rows[0].n;
    assert.equal(n, 0);
  });
});
