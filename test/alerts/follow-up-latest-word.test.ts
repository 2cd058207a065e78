import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { BURGERNET, bearer, startStack, twilioPost, type Stack } from "../helpers/stack.js";
import { eventually } from "../helpers/eventually.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";

// The dispatcher starts only once the test has said STOP and cancelled: the update messages wait in line until then,
// and the send-time check must still see both.
let s: Stack;
const phones = [mobile(74_001), mobile(74_002), mobile(74_003)];
const texts = { nl: { voice: "Let op een witte bus.", sms: "Witte bus gezien? Bel 112." } };
const update = { nl: { voice: "De bus is nu rood.", sms: "Update: de bus is nu rood." } };

before(async () => {
  s = await startStack({ dispatch: { autoStart: false } });
  await seedParticipants(
    s.db,
    phones.map((phone, i) => ({ phone, ...offset(dam, 100 * (i + 1)) })),
  );
});
after(() => s.close());

const post = (url: string, payload: object) =>
  s.app.inject({ method: "POST", url, headers: bearer(s.keys.operator), payload });

/** An alert whose SMS all went out, as the carrier would have reported it. */
async function deliveredAlert() {
  const res = await post("/v1/alerts", {
    kind: "vehicle",
    channels: ["sms"],
    area: { type: "circle", center: dam, radiusMeters: 1000 },
    texts,
  });
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().id as string;
  await s.db.query("UPDATE deliveries SET status = 'delivered', attempts = 1 WHERE alert_id = $1", [id]);
  return id;
}

test("someone reached only after the update was made gets it too, once; a message that carried it does not", async () => {
  const id = await deliveredAlert();
  // One SMS was still on its way at the carrier (taken with the old text), one will be taken only after the update.
  const [, late, fresh] = (
    await s.db.query<{ id: string; phone: string }>(
      "SELECT id, phone FROM deliveries WHERE alert_id = $1 ORDER BY phone",
      [id],
    )
  ).rows;
  const sids = { late: `SM${"0".repeat(31)}1`, fresh: `SM${"0".repeat(31)}2` };
  const atCarrier = (d: { id: string }, sid: string) =>
    s.db.query("UPDATE deliveries SET status = 'submitted', provider_sid = $2, sending_at = now() WHERE id = $1", [
      d.id,
      sid,
    ]);
  await atCarrier(late, sids.late);
  await s.db.query("UPDATE deliveries SET status = 'pending' WHERE id = $1", [fresh.id]); // not yet taken
  const res = await post(`/v1/alerts/${id}/updates`, { texts: update, notify: "reached" });
  assert.equal(res.json().notified, 1, "only the one reached so far");
  await atCarrier(fresh, sids.fresh); // taken after the update: it carries the new text

  const delivered = (d: { id: string; phone: string }, sid: string) =>
    twilioPost(s, `/twilio/sms/status?delivery=${d.id}&attempt=1`, {
      MessageSid: sid,
      MessageStatus: "delivered",
      To: d.phone,
    });
  assert.equal((await delivered(late, sids.late)).statusCode, 204);
  assert.equal((await delivered(late, sids.late)).statusCode, 204, "a repeated callback adds nothing");
  assert.equal((await delivered(fresh, sids.fresh)).statusCode, 204);
  const rows = (
    await s.db.query("SELECT phone FROM deliveries WHERE alert_id = $1 AND purpose = 'update' ORDER BY phone", [id])
  ).rows.map((r) => r.phone);
  assert.deepEqual(rows, [phones[0], late.phone], "the one reached late gets it; the one that carried it does not");
  assert.equal((await post(`/v1/alerts/${id}/cancel`, {})).statusCode, 200);
});

test("an update never goes to someone who said STOP since, nor after a cancel", async () => {
  const kept = await deliveredAlert();
  const cancelled = await deliveredAlert();
  for (const id of [kept, cancelled]) {
    const res = await post(`/v1/alerts/${id}/updates`, { texts: update, notify: "reached" });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().notified, 3);
  }
  const stop = await s.emulator.sendSms({ from: phones[1], to: BURGERNET, body: "STOP" });
  assert.equal(stop.status, 200);
  assert.equal((await post(`/v1/alerts/${cancelled}/cancel`, {})).statusCode, 200);

  s.app.dispatcher.start();
  const updates = (phone: string) => s.emulator.messagesTo(phone).filter((m) => m.body.includes("nu rood"));
  await s.emulator.waitFor(() => updates(phones[0]).length === 1 && updates(phones[2]).length === 1);
  const ended = await eventually(async () => {
    const rows = (
      await s.db.query(
        `SELECT alert_id, phone, status, end_reason FROM deliveries WHERE purpose = 'update' ORDER BY alert_id, phone`,
      )
    ).rows;
    return rows.every((r) => r.status !== "pending" && r.status !== "sending") && rows;
  });
  const ofKept = ended.filter((r) => r.alert_id === kept);
  assert.deepEqual(
    ofKept.map((r) => [r.phone, r.end_reason]),
    [
      [phones[0], null],
      [phones[1], "unsubscribed"],
      [phones[2], null],
    ],
  );
  for (const r of ended.filter((r) => r.alert_id === cancelled)) assert.equal(r.end_reason, "alert_cancelled");
  assert.equal(updates(phones[1]).length, 0, "STOP counts");
  assert.equal(updates(phones[0]).length, 1, "once, though two alerts were updated: the cancelled one sent nothing");
});
