import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import {
  bearer,
  createTestDb,
  emit,
  keysFor,
  startApp,
  startReceiver,
  subscribe,
  waitFor,
  type Receiver,
  type TestDb,
} from "./harness.js";

let db: TestDb;
let app: FastifyInstance;
let keys: Awaited<ReturnType<typeof keysFor>>;
const receivers: Receiver[] = [];

before(async () => {
  db = await createTestDb();
  app = await startApp({ db, webhooks: { concurrencyPerEndpoint: 2 } });
  keys = await keysFor(db);
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

async function subscribed(r: Receiver, eventTypes = ["sighting.created"]) {
  const res = await subscribe(app, keys.operator, { url: r.url, eventTypes, description: "meldkamer A'dam" });
  assert.equal(res.statusCode, 201, res.body);
  const sub = res.json();
  r.trust(sub.secret);
  return sub as { id: string; secret: string };
}

async function deliveries(id: string) {
  const res = await app.inject({ method: "GET", url: `/v1/webhooks/${id}/deliveries`, headers: bearer(keys.operator) });
  assert.equal(res.statusCode, 200);
  return res.json().deliveries as {
    id: number;
    webhookId: string;
    status: string;
    attempts: number;
    attemptLog: { statusCode: number | null; error: string | null }[];
  }[];
}

async function quiet(id: string) {
  await app.inject({ method: "DELETE", url: `/v1/webhooks/${id}`, headers: bearer(keys.operator) });
}

describe("webhook delivery", () => {
  test("an event reaches the endpoint signed per Standard Webhooks, verified by an independent library", async () => {
    const r = await receiver();
    const sub = await subscribed(r);
    assert.match(sub.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(Buffer.from(sub.secret.slice(6), "base64").length, 32);
    const eventId = await emit(db, { type: "sighting.created", data: { source: "voice", transcript: "rode jas" } });

    const got = await waitFor("delivery", () => r.received[0]);
    assert.equal(got.verified, true);
    assert.equal(got.id, `evt_${eventId}`);
    assert.ok(Math.abs(Number(got.timestamp) - Date.now() / 1000) < 5);
    const body = JSON.parse(got.body);
    assert.equal(body.type, "sighting.created");
    assert.equal(body.data.transcript, "rode jas");
    assert.equal(body.data.region, "RE05");
    assert.ok(!Number.isNaN(Date.parse(body.timestamp)));
    await waitFor("succeeded", async () => (await deliveries(sub.id))[0]?.status === "succeeded");
    await quiet(sub.id);
  });

  test("events of other types and other regions are not sent", async () => {
    const r = await receiver();
    const sub = await subscribed(r, ["alert.closed"]);
    await emit(db, { type: "sighting.created", data: {} });
    await emit(db, { type: "alert.closed", region: "RE07", data: {} });
    const wanted = await emit(db, { type: "alert.closed", data: { outcome: "found" } });
    await waitFor("the wanted event", () => r.received.length >= 1);
    assert.deepEqual(
      r.received.map((x) => x.id),
      [`evt_${wanted}`],
    );
    assert.equal((await deliveries(sub.id)).length, 1);
    await quiet(sub.id);
  });

  test("a receiver that is down for a while gets every event afterwards, each with its original webhook-id", async () => {
    const r = await receiver();
    const sub = await subscribed(r);
    await r.down();
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(`evt_${await emit(db, { type: "sighting.created", data: { n: i } })}`);
    // Every delivery has failed at least twice before the receiver comes back.
    await waitFor("failed attempts", async () => {
      const ds = await deliveries(sub.id);
      return ds.length === 5 && ds.every((d) => d.attempts >= 2 && d.status === "pending");
    });
    await r.up();
    await waitFor("all delivered", async () => (await deliveries(sub.id)).every((d) => d.status === "succeeded"));
    assert.deepEqual(new Set(r.received.map((x) => x.id)), new Set(ids));
    assert.ok(r.received.every((x) => x.verified));
    const log = (await deliveries(sub.id))[0].attemptLog;
    assert.ok(log.length >= 3);
    assert.ok(
      log.slice(0, -1).every((a) => a.statusCode === null && a.error),
      "connection failures recorded",
    );
    assert.equal(log.at(-1)!.statusCode, 204);
    await quiet(sub.id);
  });

  test("a 5xx is retried on the schedule and the retry carries the same webhook-id", async () => {
    const r = await receiver((n) => ({ status: n < 2 ? 500 : 200 }));
    const sub = await subscribed(r);
    await emit(db, { type: "sighting.created", data: {} });
    await waitFor("third attempt", () => r.received.length >= 3);
    assert.equal(new Set(r.received.map((x) => x.id)).size, 1);
    // Schedule 50 ms then 100 ms, ±20% jitter.
    assert.ok(r.received[1].at - r.received[0].at >= 35);
    assert.ok(r.received[2].at - r.received[1].at >= 75);
    assert.ok(
      r.received.every((x) => x.verified),
      "re-signed with a fresh timestamp each time",
    );
    await quiet(sub.id);
  });

  test("Retry-After on 429 is honoured even when the schedule is shorter", async () => {
    const r = await receiver((n) => (n === 0 ? { status: 429, headers: { "retry-after": "1" } } : { status: 200 }));
    const sub = await subscribed(r);
    await emit(db, { type: "sighting.created", data: {} });
    await waitFor("second attempt", () => r.received.length >= 2, 5_000);
    assert.ok(r.received[1].at - r.received[0].at >= 1_000, `retried after ${r.received[1].at - r.received[0].at} ms`);
    const log = (await deliveries(sub.id))[0].attemptLog as { retryAfterSeconds?: number }[];
    assert.equal(log[0].retryAfterSeconds, 1);
    await quiet(sub.id);
  });

  test("410 Gone disables the subscription; nothing more is sent until it is re-enabled", async () => {
    const r = await receiver((n) => ({ status: n === 0 ? 410 : 200 }));
    const sub = await subscribed(r);
    await emit(db, { type: "sighting.created", data: {} });
    await waitFor("disabled", async () => {
      const s = await app.inject({ method: "GET", url: `/v1/webhooks/${sub.id}`, headers: bearer(keys.operator) });
      return s.json().status === "disabled" && s.json();
    });
    await emit(db, { type: "sighting.created", data: {} });
    const ds = await deliveries(sub.id);
    assert.equal(ds.length, 1, "no delivery created for a disabled subscription");
    assert.equal(ds[0].status, "failed");
    assert.equal(r.received.length, 1);

    const enabled = await app.inject({
      method: "PATCH",
      url: `/v1/webhooks/${sub.id}`,
      headers: bearer(keys.operator),
      payload: { status: "active" },
    });
    assert.equal(enabled.json().status, "active");
    const id = await emit(db, { type: "sighting.created", data: {} });
    await waitFor("delivery after re-enable", () => r.received.find((x) => x.id === `evt_${id}`));
    await quiet(sub.id);
  });

  test("replay resends a window of events with their original webhook-ids", async () => {
    const r = await receiver();
    const sub = await subscribed(r);
    const id = await emit(db, { type: "sighting.created", data: {} });
    const since = (
      await db.query("SELECT created_at FROM events WHERE id = $1", [id])
    ).rows[0].created_at.toISOString();
    await waitFor("first delivery", () => r.received.length === 1);
    await waitFor("succeeded", async () => (await deliveries(sub.id))[0].status === "succeeded");
    const res = await app.inject({
      method: "POST",
      url: `/v1/webhooks/${sub.id}/replay`,
      headers: bearer(keys.operator),
      payload: { since, includeSucceeded: true },
    });
    assert.equal(res.statusCode, 202);
    assert.equal(res.json().queued, 1);
    await waitFor("replayed", () => r.received.length === 2);
    assert.deepEqual(
      r.received.map((x) => x.id),
      [`evt_${id}`, `evt_${id}`],
    );
    await quiet(sub.id);
  });

  test("no more requests than the per-endpoint limit are in flight at once", async () => {
    const r = await receiver(() => ({ status: 200, delayMs: 100 }));
    const sub = await subscribed(r);
    for (let i = 0; i < 8; i++) await emit(db, { type: "sighting.created", data: { i } });
    await waitFor("all delivered", () => r.received.length === 8);
    assert.equal(r.stats().maxInFlight, 2);
    await quiet(sub.id);
  });

  test("a rotated secret signs alongside the old one for 24 hours", async () => {
    const r = await receiver();
    const sub = await subscribed(r);
    const rotated = await app.inject({
      method: "POST",
      url: `/v1/webhooks/${sub.id}/rotate-secret`,
      headers: bearer(keys.operator),
    });
    assert.equal(rotated.statusCode, 200);
    const { secret, previousSecretExpiresAt } = rotated.json();
    assert.notEqual(secret, sub.secret);
    const hours = (Date.parse(previousSecretExpiresAt) - Date.now()) / 3_600_000;
    assert.ok(hours > 23.9 && hours <= 24);
    r.trust(sub.secret, secret);
    await emit(db, { type: "sighting.created", data: {} });
    const got = await waitFor("delivery", () => r.received[0]);
    assert.equal(got.signature.split(" ").length, 2);
    assert.equal(got.verified, true, "verifies with the new and with the old secret");

    await db.query(
      "UPDATE webhook_subscriptions SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1",
      [sub.id],
    );
    r.trust(secret);
    await emit(db, { type: "sighting.created", data: {} });
    const second = await waitFor("second delivery", () => r.received[1]);
    assert.equal(second.signature.split(" ").length, 1);
    assert.equal(second.verified, true);
    await quiet(sub.id);
  });

  test("a delivery that keeps failing gives up once its retry window has passed", async () => {
    const short = await startApp({ db, webhooks: { retryScheduleMs: [50], maxAgeMs: 500 } });
    try {
      const r = await receiver(() => ({ status: 500 }));
      const sub = await subscribed(r);
      await app.close().catch(() => {});
      await emit(db, { type: "sighting.created", data: {} });
      const row = await waitFor("failed", async () => {
        const d = (
          await db.query("SELECT status, attempts FROM webhook_deliveries WHERE subscription_id = $1", [sub.id])
        ).rows[0];
        return d?.status === "failed" && d;
      });
      // Retried (more than one attempt), then given up within the window rather than retried forever.
      assert.ok(row.attempts >= 2 && row.attempts <= 12, `${row.attempts} attempts`);
    } finally {
      await short.close();
      app = await startApp({ db, webhooks: { concurrencyPerEndpoint: 2 } });
    }
  });
});
