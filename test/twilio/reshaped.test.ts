import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Stack } from "../helpers/stack.js";
import { dam, mobile, seedParticipants } from "../helpers/participants.js";
import { BURGERNET, seedAlert, seedDelivery, startIvrStack } from "../ivr/helpers.js";
import { postTwilio, sid, signatureOf, smsParams, voiceParams, writtenState, type Params } from "./helpers.js";

// Issue 21 §2: Twilio signs the URL and each name+value with nothing between them, so a captured request can be
// reshaped (characters moved between a name and its value, or between the URL and the first name) and still check.

let stack: Stack;
const seeded = new Map<number, { phone: string; participantId: string; alertId: string; callSid: string }>();

before(async () => {
  stack = await startIvrStack();
  // Enough deliveries that one id is another's with a digit more (1 and 11, 2 and 21…).
  for (let i = 0; i < 12; i++) {
    const phone = mobile(2100 + i);
    const [participantId] = await seedParticipants(stack.db, [{ phone, lat: dam.lat, lon: dam.lon }]);
    const alertId = await seedAlert(stack.db);
    const id = await seedDelivery(stack.db, { alertId, participantId, phone });
    const callSid = sid("CA", 0x2100 + i);
    await stack.db.query("UPDATE deliveries SET provider_sid = $2 WHERE id = $1", [id, callSid]);
    seeded.set(id, { phone, participantId, alertId, callSid });
  }
});
after(() => stack.close());

/** A delivery whose id with its last digit cut off is another seeded delivery. */
function pairOfIds(): [number, number] {
  for (const id of seeded.keys()) if (id >= 10 && seeded.has(Math.floor(id / 10))) return [id, Math.floor(id / 10)];
  throw new Error("no pair of ids like 11 and 1 was seeded");
}

/** `?delivery=11` becomes `?delivery=1`, its last digit prepended to the first name, CallSid's "C" moved too. */
function shifted(path: string, params: Params): { path: string; params: Params } {
  const digit = path.slice(-1);
  const out: Params = {};
  for (const [k, v] of Object.entries(params)) {
    if (k === "AccountSid") out[`${digit}AccountSid`] = v;
    else if (k === "CallSid") out[`CallSid${v[0]}`] = v.slice(1);
    else out[k] = v;
  }
  return { path: path.slice(0, -1), params: out };
}

const sightingsOf = async (deliveryId: number) =>
  Number((await stack.db.query("SELECT count(*) AS n FROM sightings WHERE delivery_id = $1", [deliveryId])).rows[0].n);

describe("a captured, signed Twilio request reshaped and replayed", () => {
  test("an SMS tip with MessageSid renamed MessageSidS, replayed three times, stores no new sighting", async () => {
    const from = mobile(2199);
    const params = smsParams(stack, { messageSid: sid("SM", 0x2199), from, to: BURGERNET, body: "Man in rode jas" });
    const first = await postTwilio(stack, "/twilio/sms/inbound", params);
    assert.equal(first.statusCode, 200, first.body);
    const signature = signatureOf(stack, "/twilio/sms/inbound", params);
    const { MessageSid, ...rest } = params;
    const reshaped = { ...rest, [`MessageSid${MessageSid[0]}`]: MessageSid.slice(1) };
    assert.equal(signatureOf(stack, "/twilio/sms/inbound", reshaped), signature, "the reshaped request still checks");
    const before = await writtenState(stack.db);
    for (let i = 0; i < 3; i++) {
      const res = await postTwilio(stack, "/twilio/sms/inbound", reshaped, { signature });
      assert.equal(res.statusCode, 403, res.body);
    }
    assert.deepEqual(await writtenState(stack.db), before);
  });

  test("a spoken tip for delivery 11 replayed as delivery 1 is not stored on delivery 1", async () => {
    const [own, other] = pairOfIds();
    const d = seeded.get(own)!;
    const path = `/twilio/voice/tip?delivery=${own}`;
    const params = {
      ...voiceParams(stack, { callSid: d.callSid, from: BURGERNET, to: d.phone }),
      SpeechResult: "Hij rende naar het station",
      Confidence: "0.93",
    };
    const signature = signatureOf(stack, path, params);
    const first = await postTwilio(stack, path, params);
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(await sightingsOf(own), 1);

    const attack = shifted(path, params);
    assert.equal(signatureOf(stack, attack.path, attack.params), signature, "the reshaped request still checks");
    const before = await writtenState(stack.db);
    for (const token of ["fresh-1", "fresh-2"]) {
      const res = await postTwilio(stack, attack.path, attack.params, {
        signature,
        headers: { "i-twilio-idempotency-token": token },
      });
      assert.equal(res.statusCode, 403, res.body);
    }
    assert.equal(await sightingsOf(other), 0);
    assert.deepEqual(await writtenState(stack.db), before);
  });

  test("an unsubscribe for delivery 11 replayed as delivery 1 unsubscribes nobody", async () => {
    const [own, other] = pairOfIds();
    const d = seeded.get(own)!;
    const path = `/twilio/voice/unsubscribe?delivery=${own}`;
    const params = { ...voiceParams(stack, { callSid: d.callSid, from: BURGERNET, to: d.phone }), Digits: "1" };
    const signature = signatureOf(stack, path, params);
    const attack = shifted(path, params);
    assert.equal(signatureOf(stack, attack.path, attack.params), signature, "the reshaped request still checks");
    const before = await writtenState(stack.db);
    const res = await postTwilio(stack, attack.path, attack.params, {
      signature,
      headers: { "i-twilio-idempotency-token": "fresh-3" },
    });
    assert.equal(res.statusCode, 403, res.body);
    const status = await stack.db.query("SELECT status FROM participants WHERE id = $1", [
      seeded.get(other)!.participantId,
    ]);
    assert.equal(status.rows[0].status, "active");
    assert.deepEqual(await writtenState(stack.db), before);
  });

  test("a signed JSON body is refused and writes nothing", async () => {
    const params = smsParams(stack, { messageSid: sid("SM", 0x2198), from: mobile(2198), to: BURGERNET, body: "STOP" });
    const before = await writtenState(stack.db);
    const res = await postTwilio(stack, "/twilio/sms/inbound", params, { json: true });
    assert.ok(res.statusCode === 415 || res.statusCode === 403, `${res.statusCode} ${res.body}`);
    assert.ok(res.json().error.code, "the one error shape");
    assert.deepEqual(await writtenState(stack.db), before);
  });
});
