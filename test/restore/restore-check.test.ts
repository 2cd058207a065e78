// A restore must not call anyone twice (issue 27): the database goes back to a dump taken during an alert, which
// knows nothing of the calls and messages made after it. test/deploy/rehearsal.deploy.ts does it with pg_dump and
// pg_restore on built instances; here the same rows are put back as the dump held them, on one instance.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { restoreGuard } from "../../src/restore/guard.js";
import { eventually } from "../helpers/eventually.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";
import { bearer, startStack, type Stack } from "../helpers/stack.js";

let s: Stack;
const voice = Array.from({ length: 6 }, (_, i) => mobile(95_000 + i));
const sms = Array.from({ length: 2 }, (_, i) => mobile(95_100 + i));

before(async () => {
  s = await startStack();
  await seedParticipants(s.db, [
    ...voice.map((phone, i) => ({ phone, ...offset(dam, 100 + i * 20), channels: ["voice"] })),
    ...sms.map((phone, i) => ({ phone, ...offset(dam, 300 + i * 20), channels: ["sms"] })),
  ]);
});
after(() => s.close());

async function alertSentToAll() {
  const res = await s.app.inject({
    method: "POST",
    url: "/v1/alerts",
    headers: bearer(s.keys.operator),
    payload: {
      kind: "missing_person",
      priority: "urgent",
      channels: ["voice", "sms"],
      area: { type: "circle", center: dam, radiusMeters: 1000 },
      texts: { nl: { voice: "Wij zoeken een meisje in een gele jas.", sms: "Vermist: meisje, gele jas." } },
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().id as string;
  await eventually(() => settled(id), { what: "every delivery final", timeoutMs: 30_000 });
  return id;
}

const settled = async (alertId: string) =>
  (
    await s.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM deliveries WHERE alert_id = $1 AND completed_at IS NULL",
      [alertId],
    )
  ).rows[0].n === 0;

/**
 * The deliveries as a dump taken mid-alert held them: two calls answered, one call's request in flight, one call at
 * the carrier (its last callbacks came after the dump), the rest (two calls, both SMS) still waiting.
 */
async function backToTheDump(alertId: string) {
  const ids = (
    await s.db.query<{ id: number; phone: string }>(
      "SELECT id, phone FROM deliveries WHERE alert_id = $1 ORDER BY channel DESC, phone",
      [alertId],
    )
  ).rows.map((r) => r.id);
  const [, , inFlight, atCarrier, ...waiting] = ids;
  await s.db.query("DELETE FROM call_events WHERE delivery_id = ANY ($1)", [[inFlight, atCarrier, ...waiting]]);
  await s.db.query(
    `UPDATE deliveries SET status = 'sending', provider_sid = NULL, answered_at = NULL, answered_by = NULL,
            completed_at = NULL, lease_owner = 'the-crashed-one', lease_expires_at = now() - interval '1 hour'
      WHERE id = $1`,
    [inFlight],
  );
  await s.db.query(
    `UPDATE deliveries SET status = 'submitted', answered_at = NULL, answered_by = NULL, completed_at = NULL
      WHERE id = $1`,
    [atCarrier],
  );
  await s.db.query(
    `UPDATE deliveries SET status = 'pending', attempts = 0, provider_sid = NULL, answered_at = NULL,
            answered_by = NULL, completed_at = NULL, sending_at = NULL, lease_owner = NULL, lease_expires_at = NULL
      WHERE id = ANY ($1)`,
    [waiting],
  );
  return [inFlight, atCarrier, ...waiting].length;
}

/** The service is down while the database is restored; it starts on the restored one. */
const stop = () => s.app.dispatcher.stop();
const start = () => s.app.dispatcher.start();

const sentTwice = () =>
  [...voice, ...sms].filter((p) => s.emulator.callsTo(p).length + s.emulator.messagesTo(p).length > 1);

test("after a restore the service tells (the database's identity changed) and asks the carrier first: nobody called or texted twice, nobody missed", async () => {
  const alertId = await alertSentToAll();
  await stop();
  const rewound = await backToTheDump(alertId);
  // What a restore into a new database, cluster or timeline looks like to the service.
  await s.db.query("UPDATE restore_guard SET identity = 'the database the dump was taken from'");
  start();

  await eventually(async () => !(await restoreGuard.required(s.db)) && settled(alertId), {
    what: "the check done and every delivery final again",
    timeoutMs: 30_000,
  });
  assert.deepEqual(sentTwice(), [], "nobody called or texted twice");
  for (const p of voice) assert.equal(s.emulator.callsTo(p).length, 1, `${p} called`);
  for (const p of sms) assert.equal(s.emulator.messagesTo(p).length, 1, `${p} texted`);
  const rows = (
    await s.db.query<{ status: string; provider_sid: string; phone: string; attempts: number }>(
      "SELECT status, provider_sid, phone, attempts FROM deliveries WHERE alert_id = $1",
      [alertId],
    )
  ).rows;
  for (const d of rows) {
    const sent = [...s.emulator.callsTo(d.phone), ...s.emulator.messagesTo(d.phone)][0];
    assert.equal(d.provider_sid, sent.sid, `${d.phone}: the carrier's SID recorded`);
    assert.equal(d.attempts, 1, `${d.phone}: one attempt`);
    assert.ok(["answered", "delivered", "sent"].includes(d.status), `${d.phone} ${d.status}`);
  }
  assert.ok(rewound >= 6);
});

test("a restore declared by an operator (npm run restored) is checked too; without the check the dump's waiting deliveries are sent again", async () => {
  const alertId = await alertSentToAll();
  const before = s.emulator.calls().length + s.emulator.messages().length;
  await stop();
  await backToTheDump(alertId);
  await restoreGuard.declare(s.db);
  start();
  await eventually(async () => !(await restoreGuard.required(s.db)) && settled(alertId), {
    what: "the declared check done",
    timeoutMs: 30_000,
  });
  assert.equal(s.emulator.calls().length + s.emulator.messages().length, before, "nothing sent again");

  // The same dump restored without the check (what the service did before): the waiting ones go out again.
  await stop();
  await backToTheDump(alertId);
  start();
  await eventually(async () => sentTwice().length >= 4 && sentTwice(), {
    what: "the dump's four waiting deliveries sent again",
    timeoutMs: 30_000,
  });
});
