import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createRetention } from "../../src/retention/job.js";
import { createTwilioClient } from "../../src/twilio/client.js";
import { bearer, type Stack } from "../helpers/stack.js";
import { dam, seedParticipants } from "../helpers/participants.js";
import { callAlert, seedAlert, seedDelivery, startIvrStack } from "../ivr/helpers.js";
import { startReceiver, waitFor, type Receiver } from "../webhooks/harness.js";

const DAY = 86_400_000;
let shift = 0;
const clock = () => new Date(Date.now() + shift);
let s: Stack;
let receiver: Receiver;
let sightingId: string;
let recordingSid: string;
let deliveryId: number;

before(async () => {
  s = await startIvrStack({ clock, env: { WEBHOOK_ALLOW_PRIVATE: "true" } });
  receiver = await startReceiver();
  const sub = await s.app.inject({
    method: "POST",
    url: "/v1/webhooks",
    headers: bearer(s.keys.operator),
    payload: { url: receiver.url, eventTypes: ["sighting.created"] },
  });
  receiver.trust(sub.json().secret);
  const phone = "+31612360001";
  const [participantId] = await seedParticipants(s.db, [{ phone, lat: dam.lat, lon: dam.lon }]);
  const alertId = await seedAlert(s.db);
  deliveryId = await seedDelivery(s.db, { alertId, participantId, phone });
  const { transcript } = await callAlert(s, deliveryId, phone, {
    answer: "human",
    script: [{ digits: "2" }, { speech: "rode jas ehm", confidence: 0.2 }, { record: { seconds: 5 } }],
  } as never);
  const url = transcript.find((e) => e.kind === "recorded") as { recordingUrl: string } | undefined;
  recordingSid = /Recordings\/(RE\w+)/.exec(url!.recordingUrl)![1];
  sightingId = (await s.db.query("SELECT id FROM sightings WHERE delivery_id = $1", [deliveryId])).rows[0].id;
  for (const status of ["ringing", "in-progress", "completed"]) {
    await s.db.query("INSERT INTO call_events (delivery_id, kind, status, params) VALUES ($1, 'call-status', $2, $3)", [
      deliveryId,
      status,
      JSON.stringify({ CallStatus: status, To: phone }),
    ]);
  }
  await waitFor("the sighting webhook", () => receiver.received.length >= 1, 20_000);
});
after(async () => {
  await receiver.close();
  await s.close();
});

const count = async (sql: string, params: unknown[] = []) =>
  (await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0].n;
const sighting = async () =>
  (await s.db.query("SELECT transcript, recording_url, recording_erased_at FROM sightings WHERE id = $1", [sightingId]))
    .rows[0];
const atCarrier = () =>
  createTwilioClient({ ...s.config.twilio!, apiUrl: s.emulator.url })
    .recordings(recordingSid)
    .fetch()
    .then(
      () => true,
      (err) => (err.status === 404 ? false : Promise.reject(err)),
    );

describe("retention", () => {
  test("nothing goes before its time", async () => {
    const counts = await s.app.retention.run();
    assert.deepEqual(counts, {
      callEvents: 0,
      transcripts: 0,
      eventTranscripts: 0,
      recordings: 0,
      webhookDeliveries: 0,
      events: 0,
      lateErasures: 0,
      photos: 0,
    });
    assert.equal(await count("call_events WHERE delivery_id = $1", [deliveryId]), 3);
    assert.ok(await atCarrier());
  });

  test("after 31 days call events, recordings (at the carrier too), events and webhook deliveries are gone", async () => {
    shift = 31 * DAY;
    const counts = await s.app.retention.run();
    assert.equal(counts.callEvents, 3);
    assert.equal(counts.recordings, 1);
    assert.ok(counts.webhookDeliveries >= 1 && counts.events >= 1, JSON.stringify(counts));
    assert.equal(await count("call_events"), 0);
    assert.equal(await count("webhook_deliveries"), 0);
    assert.equal(await count("webhook_attempts"), 0);
    assert.equal(await count("events"), 0);
    assert.equal(await atCarrier(), false, "deleted through the carrier's API");
    const tip = await sighting();
    assert.equal(tip.recording_url, null);
    assert.ok(tip.recording_erased_at);
    assert.equal(tip.transcript, "rode jas ehm", "transcripts are kept for 90 days");
    const res = await s.app.inject({
      url: `/v1/sightings/${sightingId}/recording`,
      headers: bearer(s.keys.operator),
    });
    assert.equal(res.statusCode, 404);
  });

  test("after 91 days the transcript is gone and the tip itself stays for the counts", async () => {
    shift = 91 * DAY;
    const counts = await s.app.retention.run();
    assert.equal(counts.transcripts, 1);
    assert.equal((await sighting()).transcript, null);
    assert.equal(await count("sightings WHERE id = $1", [sightingId]), 1);
  });

  test("a backlog goes in batches, a few per run", async () => {
    for (let i = 0; i < 5; i++) {
      await s.db.query(
        "INSERT INTO call_events (kind, status, params, received_at) VALUES ('call-status', 'completed', '{}', " +
          "now() - interval '400 days')",
      );
    }
    const job = createRetention({
      db: s.db,
      clock,
      log: s.app.log,
      days: { callEvents: 30, transcripts: 90, recordings: 30, events: 30, webhookDeliveries: 30 },
      deleteRecording: async () => {},
      batchSize: 2,
      maxBatches: 1,
    });
    assert.equal((await job.run()).callEvents, 2);
    assert.equal(await count("call_events"), 3);
    assert.equal((await job.run()).callEvents, 2);
    assert.equal((await job.run()).callEvents, 1);
    assert.equal(await count("call_events"), 0);
  });
});
