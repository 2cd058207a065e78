import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { bearer, startStack, type Stack } from "../helpers/stack.js";
import { eventually } from "../helpers/eventually.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";

const fixture = readFileSync(new URL("../fixtures/cap/nl_alert_circle.xml", import.meta.url), "utf8");
const optedIn = mobile(75_001);
const notOptedIn = mobile(75_002);
let s: Stack;

before(async () => {
  s = await startStack();
  await seedParticipants(s.db, [
    { phone: optedIn, ...offset(dam, 100) },
    { phone: notOptedIn, ...offset(dam, 200) },
  ]);
  await s.db.query("UPDATE participants SET drills = true WHERE phone = $1", [optedIn]);
});
after(() => s.close());

const post = (xml: string) =>
  s.app.inject({
    method: "POST",
    url: "/v1/cap",
    headers: { ...bearer(s.keys.operator), "content-type": "application/cap+xml" },
    payload: xml,
  });

test("a CAP Exercise is a drill; a CAP Update to it follows up everyone reached, once", async () => {
  const exercise = fixture.replace("<status>Actual</status>", "<status>Exercise</status>");
  const res = await post(exercise);
  assert.equal(res.statusCode, 201, res.body);
  const [id] = res.json().alertIds;
  const a = (await s.db.query("SELECT mode, status FROM alerts WHERE id = $1", [id])).rows[0];
  assert.deepEqual(a, { mode: "drill", status: "dispatching" });
  await s.emulator.waitFor(() => s.emulator.messagesTo(optedIn).length === 1);
  await eventually(async () => {
    const got = (await s.app.inject({ url: `/v1/alerts/${id}`, headers: bearer(s.keys.operator) })).json();
    return got.summary.reached === 1 && got.summary.queued === 0 && got.summary.atCarrier === 0;
  });

  const update = exercise
    .replace("<identifier>BN-TEST-CIRCLE-1</identifier>", "<identifier>BN-TEST-CIRCLE-1-UPDATE</identifier>")
    .replace("<msgType>Alert</msgType>", "<msgType>Update</msgType>")
    .replace(
      "<scope>Public</scope>",
      "<scope>Public</scope>\n  " +
        "<references>meldkamer-amsterdam@politie.example,BN-TEST-CIRCLE-1,2026-05-01T14:02:00+02:00</references>",
    )
    .replace("blond haar, rode jas", "blond haar, groene jas");
  const updated = await post(update);
  assert.equal(updated.statusCode, 200, updated.body);
  assert.equal((await post(update)).json().duplicate, true, "the same Update twice acts once");
  await s.emulator.waitFor(() => s.emulator.messagesTo(optedIn).length === 2);
  const [first, second] = s.emulator.messagesTo(optedIn);
  assert.match(first.body, /^Burgernet: Dit is een oefening\./);
  assert.match(second.body, /^Burgernet: Dit is een oefening\./);
  const updates = (await s.db.query("SELECT texts, notified FROM alert_updates WHERE alert_id = $1", [id])).rows;
  assert.equal(updates.length, 1);
  assert.equal(updates[0].notified, 1);
  assert.ok(second.body.endsWith(updates[0].texts.nl.sms), second.body);
  assert.equal(s.emulator.messagesTo(notOptedIn).length, 0, "not opted in: neither the drill nor its update");
});
