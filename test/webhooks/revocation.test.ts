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
  subscribe,
  waitFor,
  type Receiver,
  type TestDb,
} from "./harness.js";

/**
 * A subscription belongs to its unit and is answered for by one API key (the one that created it, last changed its
 * URL or re-enabled it). Revoking that key stops it at once: nothing new, nothing queued, until an admin decides.
 */
let db: TestDb;
let app: FastifyInstance;
let admin: { id: string; key: string };
let operator: { id: string; key: string };
const receivers: Receiver[] = [];

before(async () => {
  db = await createTestDb();
  app = await startApp({ db });
  admin = await createApiKey(db, { role: "admin" });
  operator = await createApiKey(db, { role: "operator", region: "RE05" });
});
after(async () => {
  await app.close();
  await Promise.all(receivers.map((r) => r.close().catch(() => {})));
  await db.drop();
});

async function receiver(respond?: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(respond);
  receivers.push(r);
  return r;
}

async function subscribed(key: string, r: Receiver) {
  const res = await subscribe(app, key, { url: r.url, eventTypes: ["sighting.created"] });
  assert.equal(res.statusCode, 201, res.body);
  r.trust(res.json().secret);
  return res.json() as { id: string; keyId: string };
}

const revoke = (id: string) => app.inject({ method: "DELETE", url: `/v1/keys/${id}`, headers: bearer(admin.key) });
const read = async (id: string) =>
  (await app.inject({ method: "GET", url: `/v1/webhooks/${id}`, headers: bearer(admin.key) })).json();
const rows = async (subscriptionId: string) =>
  (
    await db.query("SELECT event_id, status FROM webhook_deliveries WHERE subscription_id = $1 ORDER BY id", [
      subscriptionId,
    ])
  ).rows as { event_id: string; status: string }[];

/** Another key's subscription of the same unit receives `eventId`: the sender has had its chance at that event. */
async function barrier(control: Receiver, eventId: string) {
  await waitFor("the control delivery", () => control.received.some((x) => x.id === `evt_${eventId}`));
}

describe("webhooks after their key is revoked", () => {
  test("nothing new and nothing queued is sent once the key is revoked, in the revocation's transaction", async () => {
    const leaked = await createApiKey(db, { role: "operator", region: "RE05" });
    // First delivery accepted; the second asks to be retried in an hour, so it is queued at the revocation.
    const r = await receiver((n) => (n === 0 ? { status: 204 } : { status: 503, headers: { "retry-after": "3600" } }));
    const sub = await subscribed(leaked.key, r);
    assert.equal(sub.keyId, leaked.id);
    const control = await receiver();
    await subscribed(operator.key, control);

    const delivered = await emit(db, { type: "sighting.created", data: { transcript: "rode jas" } });
    await waitFor("first delivery", () => r.received.length === 1);
    const queued = await emit(db, { type: "sighting.created", data: { transcript: "blauwe fiets" } });
    // Its first attempt was answered 503: the row is pending again, for a retry in an hour.
    await waitFor("the second delivery's first attempt", () => r.received.length === 2);
    await waitFor("queued for a retry", async () => (await rows(sub.id)).some((d) => d.status === "pending"));

    assert.equal((await revoke(leaked.id)).statusCode, 204);
    const after = await emit(db, { type: "sighting.created", data: { transcript: "na de intrekking" } });
    await db.query("UPDATE webhook_deliveries SET next_attempt_at = now() WHERE subscription_id = $1", [sub.id]);
    await barrier(control, after);

    assert.deepEqual(
      r.received.map((x) => x.id),
      [`evt_${delivered}`, `evt_${queued}`],
      "only what was sent before the revocation",
    );
    assert.deepEqual(
      (await rows(sub.id)).map((d) => [d.event_id, d.status]),
      [
        [delivered, "succeeded"],
        [queued, "failed"],
      ],
      "the queued delivery failed with the revocation; no delivery was made for the later event",
    );
    const state = await read(sub.id);
    assert.equal(state.status, "disabled");
    assert.match(state.disabledReason, /API key .* revoked/);
    const audited = await db.query(
      "SELECT actor, details FROM audit_log WHERE action = 'webhook.disabled' AND subject_id = $1",
      [sub.id],
    );
    assert.deepEqual(audited.rows, [{ actor: admin.id, details: { reason: "api_key.revoked", keyId: leaked.id } }]);
  });

  test("only an admin re-enables it, and then the admin's key answers for it", async () => {
    const leaked = await createApiKey(db, { role: "operator", region: "RE05" });
    const r = await receiver();
    const sub = await subscribed(leaked.key, r);
    assert.equal((await revoke(leaked.id)).statusCode, 204);

    const enable = (key: string) =>
      app.inject({
        method: "PATCH",
        url: `/v1/webhooks/${sub.id}`,
        headers: bearer(key),
        payload: { status: "active" },
      });
    const refused = await enable(operator.key);
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.code, "BN_FORBIDDEN");
    assert.match(refused.json().error.message, /only an admin/);
    assert.equal((await read(sub.id)).status, "disabled");

    const enabled = await enable(admin.key);
    assert.equal(enabled.statusCode, 200, enabled.body);
    assert.deepEqual([enabled.json().status, enabled.json().keyId], ["active", admin.id]);
    const id = await emit(db, { type: "sighting.created", data: {} });
    await waitFor("delivery after the admin's re-enable", () => r.received.some((x) => x.id === `evt_${id}`));
    await app.inject({ method: "DELETE", url: `/v1/webhooks/${sub.id}`, headers: bearer(admin.key) });
  });

  test("a key that pointed another key's subscription at a new URL answers for it: revoking it stops it", async () => {
    const leaked = await createApiKey(db, { role: "operator", region: "RE05" });
    const original = await receiver();
    const sub = await subscribed(operator.key, original);
    const attacker = await receiver();
    const moved = await app.inject({
      method: "PATCH",
      url: `/v1/webhooks/${sub.id}`,
      headers: bearer(leaked.key),
      payload: { url: attacker.url },
    });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.equal(moved.json().keyId, leaked.id);
    assert.equal((await revoke(leaked.id)).statusCode, 204);

    const control = await receiver();
    await subscribed(operator.key, control);
    const id = await emit(db, { type: "sighting.created", data: { transcript: "geheim" } });
    await barrier(control, id);
    assert.equal(attacker.received.length, 0);
    assert.equal((await read(sub.id)).status, "disabled");
  });

  test("revoking a key leaves the subscriptions other keys answer for alone", async () => {
    const other = await createApiKey(db, { role: "operator", region: "RE05" });
    const r = await receiver();
    const sub = await subscribed(operator.key, r);
    assert.equal((await revoke(other.id)).statusCode, 204);
    assert.equal((await read(sub.id)).status, "active");
    const id = await emit(db, { type: "sighting.created", data: {} });
    await waitFor("delivery", () => r.received.some((x) => x.id === `evt_${id}`));
  });
});
