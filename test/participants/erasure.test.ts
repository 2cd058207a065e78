import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { BURGERNET, bearer, startStack, type Stack } from "../helpers/stack.js";
import { startReceiver, waitFor, type Receiver } from "../webhooks/harness.js";
import { seedAlert } from "../ivr/helpers.js";
import { register, registerActive, whereIsNumber } from "./helpers.js";

let s: Stack;
let receiver: Receiver;

before(async () => {
  s = await startStack({ env: { WEBHOOK_ALLOW_PRIVATE: "true" } });
  receiver = await startReceiver();
  const sub = await s.app.inject({
    method: "POST",
    url: "/v1/webhooks",
    headers: bearer(s.keys.operator),
    payload: { url: receiver.url, eventTypes: ["sighting.created", "participant.unsubscribed"] },
  });
  assert.equal(sub.statusCode, 201, sub.body);
  receiver.trust(sub.json().secret);
});
after(async () => {
  await receiver.close();
  await s.close();
});

const sightingsFrom = async (participantIds: string[]) =>
  (
    await s.db.query("SELECT * FROM sightings WHERE participant_id = ANY ($1::uuid[]) ORDER BY created_at", [
      participantIds,
    ])
  ).rows;

async function sms(from: string, body: string): Promise<string> {
  const result = await s.emulator.sendSms({ from, to: BURGERNET, body });
  assert.equal(result.status, 200);
  return result.replies[0].body;
}

/** A participant who registered twice (the first registration replaced), was called, tipped by voice and SMS. */
async function calledAndTipped(phone: string) {
  const first = await registerActive(s, phone);
  const second = await registerActive(s, phone);
  s.emulator.setPersona(phone, {
    answer: "human",
    script: [{ digits: "2" }, { speech: "Hij liep naar de Dam, bel mij terug op 0612340001", confidence: 0.9 }],
  });
  const created = await s.app.inject({
    method: "POST",
    url: "/v1/alerts",
    headers: bearer(s.keys.operator),
    payload: {
      kind: "suspect",
      priority: "urgent",
      presenceCheck: false, // the persona's first key is the menu's, not the presence question's
      texts: { nl: { voice: "Gezocht: een man met een rode jas.", sms: "Gezocht: man, rode jas." } },
      area: { type: "circle", center: { lat: 52.3731, lon: 4.8926 }, radiusMeters: 5000 },
      channels: ["voice"],
    },
  });
  assert.equal(created.statusCode, 201, created.body);
  await waitFor("the urgent call's tip", async () => (await sightingsFrom([second])).length === 1, 20_000);
  assert.match(await sms(phone, "Nog iets: hij rende richting het station"), /tip/);
  await waitFor(
    "two sighting webhooks",
    () => receiver.received.filter((r) => r.body.includes("sighting.created")).length >= 2,
    20_000,
  );
  return { first, second, alertId: created.json().id as string };
}

describe("erasure", () => {
  test("DELETE leaves the number in no table: deliveries, call events, tips, events, outbox, old registrations", async () => {
    const phone = "+31612340001";
    const { first, second } = await calledAndTipped(phone);
    const before = await whereIsNumber(s.db, phone);
    for (const table of ["participants.phone", "deliveries.phone", "call_events.params", "sightings.caller_phone"]) {
      assert.ok(
        before.some((h) => h.startsWith(table)),
        `before erasure the search finds ${table}: ${before}`,
      );
    }

    const res = await s.app.inject({
      method: "DELETE",
      url: `/v1/participants/${second}`,
      headers: bearer(s.keys.registration),
    });
    assert.equal(res.statusCode, 204, res.body);

    assert.deepEqual(await whereIsNumber(s.db, phone), []);
    const tombstones = await s.db.query("SELECT status, phone FROM participants WHERE id = ANY ($1::uuid[])", [
      [first, second],
    ]);
    assert.deepEqual(
      tombstones.rows.map((r) => [r.status, r.phone]),
      [
        ["erased", null],
        ["erased", null],
      ],
    );
    const tips = await sightingsFrom([second]);
    assert.equal(tips.length, 2, "both tips stay with the police");
    assert.ok(tips.some((t) => t.transcript.startsWith("Hij liep naar de Dam, bel mij terug op ")));
    assert.ok(tips.every((t) => t.caller_phone === null));
    const reached = await s.db.query("SELECT count(*)::int AS n FROM deliveries WHERE participant_id = $1", [second]);
    assert.equal(reached.rows[0].n, 1, "the delivery stays for the counts, without the number");
    const locations = await s.db.query(
      "SELECT count(*)::int AS n FROM participant_locations WHERE participant_id = ANY ($1::uuid[])",
      [[first, second]],
    );
    assert.equal(locations.rows[0].n, 0);
  });

  test("a second DELETE and a DELETE of an unknown id are 404s that change nothing", async () => {
    const id = await registerActive(s, "+31612340002");
    const alertId = await seedAlert(s.db, { expiresInMs: 3_600_000 });
    const waiting = (
      await s.db.query(
        `INSERT INTO deliveries (alert_id, participant_id, phone, channel, purpose, language,
          rank, distance_m, next_attempt_at)
         VALUES ($1, $2, '+31612340002', 'voice', 'alert', 'nl', 1, 10, now() + interval '1 hour') RETURNING id`,
        [alertId, id],
      )
    ).rows[0].id;
    const url = `/v1/participants/${id}`;
    assert.equal((await s.app.inject({ method: "DELETE", url, headers: bearer(s.keys.registration) })).statusCode, 204);
    const ended = await s.db.query("SELECT status, end_reason, phone FROM deliveries WHERE id = $1", [waiting]);
    assert.deepEqual(ended.rows[0], { status: "canceled", end_reason: "erased", phone: null });
    const again = await s.app.inject({ method: "DELETE", url, headers: bearer(s.keys.registration) });
    assert.equal(again.statusCode, 404);
    assert.equal(again.json().error.code, "BN_PARTICIPANT_NOT_FOUND");
    const unknown = await s.app.inject({
      method: "DELETE",
      url: `/v1/participants/${randomUUID()}`,
      headers: bearer(s.keys.registration),
    });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, "BN_PARTICIPANT_NOT_FOUND");
    const audits = await s.db.query(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'participant.erased' AND subject_id = $1",
      [id],
    );
    assert.equal(audits.rows[0].n, 1);
  });

  test("the SMS keyword WIS erases the number and confirms; START afterwards needs a new registration", async () => {
    const phone = "+31612340003";
    const old = await registerActive(s, phone);
    const replaced = await registerActive(s, phone);
    assert.match(await sms(phone, "VERHUIS 3511"), /3511/);
    assert.equal(
      await sms(phone, "wis"),
      "Burgernet: uw nummer en locaties zijn gewist. U krijgt geen oproepen meer. Opnieuw meedoen kan via " +
        "burgernet.nl.",
    );
    assert.deepEqual(await whereIsNumber(s.db, phone), []);
    const places = await s.db.query(
      "SELECT action, details FROM audit_log WHERE subject_id = ANY ($1::text[]) AND details::text LIKE '%3511%'",
      [[old, replaced]],
    );
    assert.deepEqual(places.rows, [], "the audit trail keeps the move, not where to");
    const moved = await s.db.query(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'participant.moved' AND subject_id = $1",
      [replaced],
    );
    assert.equal(moved.rows[0].n, 1);

    assert.match(await sms(phone, "START"), /nog niet aangemeld/);
    const revived = await s.db.query(
      "SELECT count(*)::int AS n FROM participants WHERE id = ANY ($1::uuid[]) AND status <> 'erased'",
      [[old, replaced]],
    );
    assert.equal(revived.rows[0].n, 0, "START never revives an erased registration");

    const fresh = await register(s, phone);
    assert.ok(![old, replaced].includes(fresh.id));
    const verified = await s.app.inject({
      method: "POST",
      url: `/v1/participants/${fresh.id}/verify`,
      headers: bearer(s.keys.registration),
      payload: { code: fresh.code },
    });
    assert.equal(verified.statusCode, 200, verified.body);
    assert.equal(verified.json().status, "active");
  });

  test("START after DELETE does not bring back the registration the erased one had replaced", async () => {
    const phone = "+31612340004";
    const old = await registerActive(s, phone);
    const current = await registerActive(s, phone);
    const url = `/v1/participants/${current}`;
    assert.equal((await s.app.inject({ method: "DELETE", url, headers: bearer(s.keys.registration) })).statusCode, 204);
    assert.match(await sms(phone, "START"), /nog niet aangemeld/);
    const status = await s.db.query("SELECT status FROM participants WHERE id = $1", [old]);
    assert.equal(status.rows[0].status, "erased");
  });

  test("a delivery an alert committed just after the erasure loses the number at the next retention pass", async () => {
    const phone = "+31612340006";
    const id = await registerActive(s, phone);
    const url = `/v1/participants/${id}`;
    assert.equal((await s.app.inject({ method: "DELETE", url, headers: bearer(s.keys.registration) })).statusCode, 204);
    // What an alert whose targeting read the participant a moment before the erasure writes when it commits.
    const alertId = await seedAlert(s.db);
    await s.db.query(
      `INSERT INTO deliveries (alert_id, participant_id, phone, channel, purpose, language,
        rank, distance_m, next_attempt_at)
       VALUES ($1, $2, $3, 'voice', 'alert', 'nl', 1, 10, now() + interval '1 hour')`,
      [alertId, id, phone],
    );
    assert.ok((await whereIsNumber(s.db, phone)).length > 0);
    assert.equal((await s.app.retention.run()).lateErasures, 1);
    assert.deepEqual(await whereIsNumber(s.db, phone), []);
    const ended = await s.db.query("SELECT status, end_reason FROM deliveries WHERE alert_id = $1", [alertId]);
    assert.deepEqual(ended.rows, [{ status: "canceled", end_reason: "erased" }]);
  });

  test("an unknown keyword is kept as a tip and answered politely", async () => {
    const phone = "+31612340005";
    await registerActive(s, phone);
    assert.match(await sms(phone, "WISSEN ALLES GRAAG?"), /dank u wel/i);
    const kept = await s.db.query("SELECT count(*)::int AS n FROM sightings WHERE transcript = 'WISSEN ALLES GRAAG?'");
    assert.equal(kept.rows[0].n, 1);
  });
});
