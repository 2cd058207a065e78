import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createApiKey } from "../../src/access/keys.js";
import { BURGERNET, bearer, startStack, type Stack } from "../helpers/stack.js";
import { registerActive, whereIsNumber } from "./helpers.js";

/**
 * Erasing a number everywhere needs proof of the number: a verified registration of it, or the SMS WIS from it.
 * A registration key that only typed the number in (never verified) erases its own record and nothing else.
 */
let s: Stack;

before(async () => {
  s = await startStack();
});
after(() => s.close());

async function tipBySms(phone: string, text: string) {
  const result = await s.emulator.sendSms({ from: phone, to: BURGERNET, body: text });
  assert.equal(result.status, 200);
  const tip = await s.db.query("SELECT id, caller_phone FROM sightings WHERE transcript = $1", [text]);
  assert.equal(tip.rows[0]?.caller_phone, phone);
  return tip.rows[0].id as string;
}

async function registerUnverified(key: string, phone: string) {
  const res = await s.app.inject({
    method: "POST",
    url: "/v1/participants",
    headers: bearer(key),
    payload: { phone, channels: ["voice", "sms"], locations: [{ kind: "home", postcode: "1012 AB" }] },
  });
  assert.equal(res.statusCode, 202, res.body);
  return res.json().id as string;
}

describe("erasure needs proof of the number", () => {
  test("deleting another key's unverified registration of a number erases only that record", async () => {
    const phone = "+31612349001";
    const citizen = await registerActive(s, phone);
    const tip = await tipBySms(phone, "Een man met een rode jas bij de Dam");
    const other = (await createApiKey(s.db, { role: "registration" })).key;
    const typedIn = await registerUnverified(other, phone);

    const res = await s.app.inject({ method: "DELETE", url: `/v1/participants/${typedIn}`, headers: bearer(other) });
    assert.equal(res.statusCode, 204, res.body);

    const rows = await s.db.query("SELECT id, status, phone FROM participants WHERE id = ANY ($1::uuid[])", [
      [citizen, typedIn],
    ]);
    const byId = Object.fromEntries(rows.rows.map((r) => [r.id, [r.status, r.phone]]));
    assert.deepEqual(byId[typedIn], ["erased", null], "the unverified record itself is erased");
    assert.deepEqual(byId[citizen], ["active", phone], "the verified participant is untouched");
    const kept = await s.db.query("SELECT caller_phone FROM sightings WHERE id = $1", [tip]);
    assert.equal(kept.rows[0].caller_phone, phone, "the verified participant's tip keeps its caller number");
    const locations = await s.db.query(
      "SELECT count(*)::int AS n FROM participant_locations WHERE participant_id = $1",
      [citizen],
    );
    assert.equal(locations.rows[0].n, 1);
    const erasedAudits = await s.db.query(
      "SELECT subject_id FROM audit_log WHERE action = 'participant.erased' AND subject_id = ANY ($1::text[])",
      [[citizen, typedIn]],
    );
    assert.deepEqual(
      erasedAudits.rows.map((r) => r.subject_id),
      [typedIn],
    );
  });

  test("deleting an unverified registration leaves the number's other unverified and unsubscribed records", async () => {
    const phone = "+31612349002";
    const stopped = await registerActive(s, phone);
    const stop = await s.emulator.sendSms({ from: phone, to: BURGERNET, body: "STOP" });
    assert.equal(stop.status, 200);
    const mine = await registerUnverified(s.keys.registration, phone);
    const other = (await createApiKey(s.db, { role: "registration" })).key;
    const theirs = await registerUnverified(other, phone);

    const res = await s.app.inject({ method: "DELETE", url: `/v1/participants/${theirs}`, headers: bearer(other) });
    assert.equal(res.statusCode, 204, res.body);
    const statuses = await s.db.query("SELECT id, status FROM participants WHERE id = ANY ($1::uuid[])", [
      [stopped, mine, theirs],
    ]);
    assert.deepEqual(Object.fromEntries(statuses.rows.map((r) => [r.id, r.status])), {
      [stopped]: "unsubscribed",
      [mine]: "pending",
      [theirs]: "erased",
    });
  });

  test("the verified record's deletion (proof of the number) still erases the number everywhere", async () => {
    const phone = "+31612349003";
    const pending = await registerUnverified((await createApiKey(s.db, { role: "registration" })).key, phone);
    const citizen = await registerActive(s, phone);
    await tipBySms(phone, "Hij rende naar het station");
    const res = await s.app.inject({
      method: "DELETE",
      url: `/v1/participants/${citizen}`,
      headers: bearer(s.keys.registration),
    });
    assert.equal(res.statusCode, 204, res.body);
    assert.deepEqual(await whereIsNumber(s.db, phone), []);
    const left = await s.db.query("SELECT status FROM participants WHERE id = $1", [pending]);
    assert.equal(left.rows[0].status, "erased");
  });
});
