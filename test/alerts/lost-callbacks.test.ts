import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { bearer, startStack, type Stack } from "../helpers/stack.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";
import { eventually } from "../helpers/eventually.js";

let s: Stack;
const humans = [mobile(81_000), mobile(81_001), mobile(81_002)];
const busy = mobile(81_003);
before(async () => {
  s = await startStack({
    dispatch: { callbackTimeoutMs: 300, retry: { maxAttempts: 3, delaysMs: [50, 50] } },
  });
  await seedParticipants(
    s.db,
    [...humans, busy].map((phone, i) => ({ phone, ...offset(dam, 100 + i * 100), channels: ["voice", "sms"] })),
  );
  s.emulator.setPersona(busy, { answer: "busy" });
});
after(() => s.close());

async function openDeliveries(alertId: string, purpose: string) {
  return (
    await s.db.query<{ phone: string; channel: string; status: string }>(
      `SELECT phone, channel, status FROM deliveries WHERE alert_id = $1 AND purpose = $2
        AND status IN ('pending', 'sending', 'submitted', 'ringing', 'in_progress', 'sent') ORDER BY phone, channel`,
      [alertId, purpose],
    )
  ).rows;
}

test("with every status callback lost, deliveries are settled from the carrier's API: retries and closing messages still happen", async () => {
  s.emulator.loseCallbacks();
  const res = await s.app.inject({
    method: "POST",
    url: "/v1/alerts",
    headers: bearer(s.keys.operator),
    payload: {
      kind: "missing_person",
      priority: "urgent",
      channels: ["voice", "sms"],
      area: { type: "circle", center: dam, radiusMeters: 1000 },
      texts: { nl: { voice: "Gezocht: een oudere man.", sms: "Gezocht: oudere man." } },
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().id;
  await eventually(async () => (await openDeliveries(id, "alert")).length === 0, {
    what: "every alert delivery settled",
    timeoutMs: 60_000,
  });
  const rows = (
    await s.db.query<{ phone: string; channel: string; status: string; attempts: number }>(
      "SELECT phone, channel, status, attempts FROM deliveries WHERE alert_id = $1 ORDER BY phone, channel",
      [id],
    )
  ).rows;
  assert.deepEqual(
    rows.map((r) => [r.phone, r.channel, r.status]),
    [...humans, busy].flatMap((p) => [
      [p, "sms", "delivered"],
      [p, "voice", p === busy ? "busy" : "answered"],
    ]),
  );
  assert.equal(s.emulator.callsTo(busy).length, 3, "busy is still retried: 3 calls");
  for (const p of humans) assert.equal(s.emulator.callsTo(p).length, 1);
  const fetched = (await s.db.query("SELECT count(*) AS n FROM call_events WHERE kind = 'call-fetched'")).rows[0].n;
  assert.ok(fetched >= 6, `the carrier was asked (${fetched} call fetches)`);
  const callbacks = (await s.db.query("SELECT count(*) AS n FROM call_events WHERE kind = 'call-status'")).rows[0].n;
  assert.equal(callbacks, 0, "no callback arrived at all");

  const closed = await s.app.inject({
    method: "POST",
    url: `/v1/alerts/${id}/close`,
    headers: bearer(s.keys.operator),
    payload: { outcome: "found", message: "De man is terecht. Dank voor uw hulp." },
  });
  assert.equal(closed.statusCode, 200, closed.body);
  await eventually(async () => (await openDeliveries(id, "closing")).length === 0, {
    what: "closing messages settled",
    timeoutMs: 60_000,
  });
  const closing = (
    await s.db.query(
      "SELECT phone, status FROM deliveries WHERE alert_id = $1 AND purpose = 'closing' ORDER BY phone",
      [id],
    )
  ).rows;
  assert.deepEqual(
    closing.map((r) => [r.phone, r.status]),
    [...humans, busy].map((p) => [p, "delivered"]),
    "everyone reached (the busy one by SMS) gets the closing SMS once",
  );
  for (const p of [...humans, busy]) assert.match(s.emulator.messagesTo(p).at(-1)!.body, /terecht/);
});
