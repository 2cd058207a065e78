import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import { createApiKey } from "../../src/access/keys.js";
import {
  bearer,
  createTestDb,
  emit,
  startApp,
  startReceiver,
  startStalledReceiver,
  subscribe,
  waitFor,
  type Receiver,
  type TestDb,
} from "./harness.js";

/**
 * One unit's hung receivers never delay another unit's deliveries (issue 21: 100 subscriptions of RE01 to a
 * listener that never answered delayed RE05's alert.created from 0.45 s to 31.1 s). The sender's production bounds
 * apply: 4 in flight per subscription, 8 per unit and host, 16 per unit; at most 20 subscriptions per unit.
 */
let db: TestDb;
let app: FastifyInstance;
let re01: string;
let re05: string;
let healthy: Receiver;
const stalled: Awaited<ReturnType<typeof startStalledReceiver>>[] = [];

before(async () => {
  db = await createTestDb();
  // A hung request is held for 5 s, longer than each test measures.
  app = await startApp({ db, webhooks: { timeoutMs: 5_000 } });
  re01 = (await createApiKey(db, { role: "operator", region: "RE01" })).key;
  re05 = (await createApiKey(db, { role: "operator", region: "RE05" })).key;
  healthy = await startReceiver();
  const sub = await subscribe(app, re05, { url: healthy.url, eventTypes: ["alert.created"] });
  assert.equal(sub.statusCode, 201, sub.body);
  healthy.trust(sub.json().secret);
});
after(async () => {
  // Dropping the hung sockets ends the sender's requests, so the app closes at once.
  await Promise.all(stalled.map((s) => s.close()));
  await app.close();
  await healthy.close();
  await db.drop();
});

async function stall(host?: string) {
  const s = await startStalledReceiver(host);
  stalled.push(s);
  return s;
}

async function subscribeAll(urls: string[]) {
  const ids: string[] = [];
  for (const url of urls) {
    const res = await subscribe(app, re01, { url, eventTypes: ["alert.created", "sighting.created"] });
    assert.equal(res.statusCode, 201, res.body);
    ids.push(res.json().id);
  }
  return ids;
}

async function unsubscribeAll(ids: string[]) {
  for (const id of ids) {
    const res = await app.inject({ method: "DELETE", url: `/v1/webhooks/${id}`, headers: bearer(re01) });
    assert.equal(res.statusCode, 204);
  }
}

const sendingOf = async (region: string) =>
  (
    await db.query(
      `SELECT count(*)::int AS n FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
        WHERE d.status = 'sending' AND s.region_code = $1`,
      [region],
    )
  ).rows[0].n as number;

/** From the event's commit-time timestamp (the database's clock) to the healthy receiver's receipt. */
async function re05Latency(): Promise<number> {
  const eventId = await emit(db, { type: "alert.created", data: { kind: "missing_child" } });
  const got = await waitFor("RE05's delivery", () => healthy.received.find((x) => x.id === `evt_${eventId}`));
  assert.equal(got.verified, true);
  const created = (await db.query("SELECT created_at FROM events WHERE id = $1", [eventId])).rows[0].created_at;
  return got.at - (created as Date).getTime();
}

describe("webhook fairness between units", () => {
  test("a unit holds at most 20 subscriptions; the 21st is refused with a clear 409", async () => {
    const s = await stall();
    const ids = await subscribeAll(Array.from({ length: 20 }, (_, i) => s.url(`/limit/${i}`)));
    const refused = await subscribe(app, re01, { url: s.url("/limit/20"), eventTypes: ["alert.created"] });
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().error.code, "BN_CONFLICT");
    assert.match(refused.json().error.message, /RE01 already has 20 webhook subscriptions/);
    const other = await subscribe(app, re05, { url: s.url("/other-unit"), eventTypes: ["alert.created"] });
    assert.equal(other.statusCode, 201, "another unit's limit is its own");
    await app.inject({ method: "DELETE", url: `/v1/webhooks/${other.json().id}`, headers: bearer(re05) });
    await unsubscribeAll(ids.slice(0, 1));
    const again = await subscribe(app, re01, { url: s.url("/limit/21"), eventTypes: ["alert.created"] });
    assert.equal(again.statusCode, 201, "a deleted subscription frees its place");
    await unsubscribeAll([...ids.slice(1), again.json().id]);
  });

  test("20 subscriptions of one unit to one hung host: another unit's delivery arrives within 1 s", async () => {
    const s = await stall();
    const ids = await subscribeAll(Array.from({ length: 20 }, (_, i) => s.url(`/hooks/${i}`)));
    for (let i = 0; i < 10; i++) await emit(db, { type: "sighting.created", region: "RE01", data: { i } });
    await waitFor("the hung host holding its share", () => s.stats().inFlight >= 8);

    const latencies = [];
    for (let i = 0; i < 3; i++) latencies.push(await re05Latency());
    assert.ok(
      latencies.every((ms) => ms < 1000),
      `RE05's deliveries arrived ${latencies.join(", ")} ms after their events`,
    );
    assert.equal(s.stats().maxInFlight, 8, "at most 8 requests of one unit to one host at once");
    assert.ok((await sendingOf("RE01")) <= 8);
    await unsubscribeAll(ids);
  });

  test("one unit's hung hosts hold at most 16 requests in all; another unit's delivery arrives within 1 s", async () => {
    const hosts = await Promise.all(["127.0.0.2", "127.0.0.3", "127.0.0.4"].map((h) => stall(h)));
    const ids = await subscribeAll(hosts.flatMap((s) => Array.from({ length: 6 }, (_, i) => s.url(`/hooks/${i}`))));
    for (let i = 0; i < 10; i++) await emit(db, { type: "alert.created", region: "RE01", data: { i } });
    await waitFor("the unit's share in flight", () => hosts.reduce((n, s) => n + s.stats().inFlight, 0) >= 16);

    const latencies = [];
    for (let i = 0; i < 3; i++) latencies.push(await re05Latency());
    assert.ok(
      latencies.every((ms) => ms < 1000),
      `RE05's deliveries arrived ${latencies.join(", ")} ms after their events`,
    );
    assert.ok((await sendingOf("RE01")) <= 16);
    assert.ok(
      hosts.every((s) => s.stats().maxInFlight <= 8),
      hosts.map((s) => s.stats().maxInFlight).join(","),
    );
    await unsubscribeAll(ids);
  });
});
