import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { findPrincipal } from "../../src/access/keys.js";
import { bearer, type Stack } from "../helpers/stack.js";
import { dam, seedParticipants } from "../helpers/participants.js";
import { callAlert, seedAlert, seedDelivery, startIvrStack } from "../ivr/helpers.js";
import { startReceiver, waitFor, type Receiver } from "../webhooks/harness.js";
import { phoneForms } from "../participants/helpers.js";

let s: Stack;
let receiver: Receiver;
const phone = "+31612350001";
const other = "+31612350002";
let alertId: string;
let recorded: string;
let spoken: string;

before(async () => {
  s = await startIvrStack({ env: { WEBHOOK_ALLOW_PRIVATE: "true" } });
  receiver = await startReceiver();
  const sub = await s.app.inject({
    method: "POST",
    url: "/v1/webhooks",
    headers: bearer(s.keys.operator),
    payload: { url: receiver.url, eventTypes: ["sighting.created"] },
  });
  receiver.trust(sub.json().secret);
  alertId = await seedAlert(s.db);
  const call = async (from: string, script: object[]) => {
    const [participantId] = await seedParticipants(s.db, [{ phone: from, lat: dam.lat + 0.01, lon: dam.lon }]);
    const deliveryId = await seedDelivery(s.db, { alertId, participantId, phone: from });
    await callAlert(s, deliveryId, from, { answer: "human", script } as never);
    const rows = await s.db.query("SELECT id FROM sightings WHERE delivery_id = $1", [deliveryId]);
    return rows.rows[0].id as string;
  };
  spoken = await call(phone, [{ digits: "2" }, { speech: "Een man met een rode jas bij de Dam", confidence: 0.91 }]);
  recorded = await call(other, [
    { digits: "2" },
    { speech: "rode jas ehm", confidence: 0.2 },
    { record: { seconds: 7 } },
  ]);
  await waitFor("two sighting webhooks", () => receiver.received.length >= 2, 20_000);
});
after(async () => {
  await receiver.close();
  await s.close();
});

const get = (url: string, key = s.keys.operator) => s.app.inject({ method: "GET", url, headers: bearer(key) });

const readsOf = async (action: string, subjectId: string) =>
  (
    await s.db.query("SELECT actor, at FROM audit_log WHERE action = $1 AND subject_id = $2 ORDER BY id", [
      action,
      subjectId,
    ])
  ).rows;

function assertNoNumber(text: string) {
  for (const form of [...phoneForms(phone), ...phoneForms(other)])
    assert.ok(!text.includes(form), `${form} in ${text.slice(0, 300)}`);
}

describe("tips through the API", () => {
  test("GET /v1/alerts/{id}/sightings lists the tips with transcript, confidence, distance, time, masked caller", async () => {
    const res = await get(`/v1/alerts/${alertId}/sightings`);
    assert.equal(res.statusCode, 200, res.body);
    const { sightings, next } = res.json();
    assert.equal(next, null);
    assert.deepEqual(
      sightings.map((x: { id: string }) => x.id),
      [spoken, recorded],
    );
    const tip = sightings[0];
    assert.equal(tip.transcript, "Een man met een rode jas bij de Dam");
    assert.ok(Math.abs(tip.confidence - 0.91) < 1e-6);
    assert.ok(tip.distanceM > 1000 && tip.distanceM < 1200, `distance ${tip.distanceM}`);
    assert.ok(!Number.isNaN(Date.parse(tip.createdAt)));
    assert.equal(tip.caller, "+316•••••001");
    assert.equal(tip.recording, null);
    assert.equal(sightings[1].recording, `/v1/sightings/${recorded}/recording`);
    assertNoNumber(res.body);
    assert.ok(!res.body.includes(s.emulator.url), "never the carrier's URL");
    const { keyId } = (await findPrincipal(s.db, s.keys.operator))!;
    const reads = await readsOf("sighting.listed", alertId);
    assert.equal(reads.length, 1);
    assert.equal(reads[0].actor, keyId);
  });

  test("GET /v1/sightings/{id} shows one tip and audits who read it", async () => {
    const res = await get(`/v1/sightings/${recorded}`);
    assert.equal(res.statusCode, 200, res.body);
    const tip = res.json();
    assert.equal(tip.transcript, "rode jas ehm");
    assert.equal(tip.recordingDurationS, 7);
    assert.equal(tip.recording, `/v1/sightings/${recorded}/recording`);
    assert.ok(!res.body.includes(s.emulator.url));
    const { keyId } = (await findPrincipal(s.db, s.keys.operator))!;
    const reads = await readsOf("sighting.read", recorded);
    assert.equal(reads.length, 1);
    assert.equal(reads[0].actor, keyId);
  });

  test("the recording streams from the carrier through the service, with the account's credentials", async () => {
    const res = await get(`/v1/sightings/${recorded}/recording`);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers["content-type"]), /^audio\//);
    assert.equal(res.rawPayload.subarray(0, 4).toString(), "RIFF");
    assert.equal(res.rawPayload.length, 44 + 7 * 8000, "seven seconds of 8 kHz audio");
    assert.equal((await readsOf("sighting.recording_read", recorded)).length, 1);
    const none = await get(`/v1/sightings/${spoken}/recording`);
    assert.equal(none.statusCode, 404);
    assert.equal(none.json().error.code, "BN_NOT_FOUND");
  });

  test("another police unit gets the 404 of an unknown id, an admin may read", async () => {
    for (const [url, unknownUrl] of [
      [`/v1/alerts/${alertId}/sightings`, `/v1/alerts/${randomUUID()}/sightings`],
      [`/v1/sightings/${spoken}`, `/v1/sightings/${randomUUID()}`],
      [`/v1/sightings/${recorded}/recording`, `/v1/sightings/${randomUUID()}/recording`],
    ]) {
      const res = await get(url, s.keys.otherRegion);
      assert.equal(res.statusCode, 404, url);
      assert.deepEqual(res.json(), (await get(unknownUrl, s.keys.otherRegion)).json(), url);
    }
    assert.equal((await get(`/v1/sightings/${spoken}`, s.keys.admin)).statusCode, 200);
    assert.equal((await get(`/v1/sightings/${spoken}`, s.keys.registration)).statusCode, 403);
    const unknown = await get(`/v1/sightings/${randomUUID()}`);
    assert.equal(unknown.statusCode, 404);
    assert.equal((await get(`/v1/alerts/${randomUUID()}/sightings`)).json().error.code, "BN_ALERT_NOT_FOUND");
    assert.equal((await get(`/v1/sightings/not-a-uuid`)).statusCode, 400);
  });

  test("webhook payloads carry a masked caller and the service's recording link, never the carrier's", async () => {
    const bodies = receiver.received.map((r) => r.body);
    assert.equal(bodies.length, 2);
    for (const body of bodies) {
      assertNoNumber(body);
      assert.ok(!body.includes(s.emulator.url), body);
    }
    assert.deepEqual(bodies.map((b) => JSON.parse(b).data.callerPhone).sort(), ["+316•••••001", "+316•••••002"]);
    assert.ok(bodies.some((b) => JSON.parse(b).data.recordingUrl === `/v1/sightings/${recorded}/recording`));
  });
});
