import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import { seedAlert, seedDeliveries } from "../reports/seed.js";
import { createTestDb, startApp, waitFor, type TestDb } from "./harness.js";

let db: TestDb;
let apps: FastifyInstance[];

before(async () => {
  db = await createTestDb();
  // Two instances: only one of them may publish each progress event.
  apps = [
    await startApp({ db, webhooks: { progressIntervalMs: 300 } }),
    await startApp({ db, webhooks: { progressIntervalMs: 300 } }),
  ];
});
after(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await db.drop();
});

const progressEvents = async (alertId: string) =>
  (
    await db.query("SELECT data, created_at FROM events WHERE alert_id = $1 AND type = 'alert.progress' ORDER BY seq", [
      alertId,
    ])
  ).rows as { data: Record<string, unknown>; created_at: Date }[];

describe("alert.progress", () => {
  test("is published while dispatching, at most once per interval per alert across instances, only when numbers move", async () => {
    const alertId = await db.withTransaction(async (tx) => {
      const id = await seedAlert(tx);
      await seedDeliveries(tx, id, [
        { channel: "voice", status: "pending" },
        { channel: "voice", status: "pending" },
        { channel: "sms", status: "pending" },
      ]);
      return id;
    });
    const first = await waitFor("first progress", async () => (await progressEvents(alertId))[0]);
    assert.deepEqual(first.data, {
      alertId,
      status: "dispatching",
      total: 3,
      queued: 3,
      atCarrier: 0,
      reached: 0,
      unreached: 0,
      byStatus: { pending: 3 },
      presence: { near: 0, away: 0, unknown: 0 },
    });

    // Numbers move quickly: each change is not an event of its own.
    const statuses = ["ringing", "answered", "busy"];
    for (const s of statuses) {
      await db.query(
        "UPDATE deliveries SET status = $2 WHERE id = (SELECT min(id) FROM deliveries WHERE alert_id = $1 AND " +
          "status = 'pending')",
        [alertId, s],
      );
      await new Promise((r) => setTimeout(r, 60));
    }
    const latest = await waitFor("progress with the final numbers", async () => {
      const all = await progressEvents(alertId);
      const last = all.at(-1)!;
      return (last.data as { byStatus: Record<string, number> }).byStatus.busy === 1 && all;
    });
    for (let i = 1; i < latest.length; i++) {
      const gap = latest[i].created_at.getTime() - latest[i - 1].created_at.getTime();
      assert.ok(gap >= 290, `gap ${gap} ms between progress events`);
    }
    assert.ok(latest.length <= 3, `${latest.length} events for 4 states`);
    const last = latest.at(-1)!.data;
    assert.equal(last.reached, 1);
    assert.equal(last.unreached, 1);

    // Nothing changes: nothing more is published.
    const n = latest.length;
    await new Promise((r) => setTimeout(r, 700));
    assert.equal((await progressEvents(alertId)).length, n);
  });

  test("an alert that is not dispatching gets none", async () => {
    const alertId = await seedAlert(db, { status: "cancelled" });
    await seedDeliveries(db, alertId, [{ channel: "voice", status: "canceled" }], 100);
    const other = await seedAlert(db);
    await seedDeliveries(db, other, [{ channel: "voice", status: "pending" }], 200);
    await waitFor("progress of the dispatching alert", async () => (await progressEvents(other)).length > 0);
    assert.equal((await progressEvents(alertId)).length, 0);
  });
});
