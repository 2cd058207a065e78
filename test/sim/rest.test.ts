import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import twilio from "twilio";
import type { Emulator } from "../../src/sim/index.ts";
import type { TwilioClient } from "../../src/twilio/client.ts";
import { ACCOUNT_SID, FROM, emulatorWithClient } from "./helpers.ts";

const TWIML = "<Response><Say>Hallo</Say></Response>";

describe("REST API through the real twilio SDK", () => {
  let emu: Emulator;
  let client: TwilioClient;
  before(async () => {
    ({ emu, client } = await emulatorWithClient());
  });
  after(() => emu.close());

  it("creates a call: 201, Twilio-shaped SID and fields, status queued", async () => {
    const call = await client.calls.create({ to: "+31611111111", from: FROM, twiml: TWIML });
    assert.match(call.sid, /^CA[0-9a-f]{32}$/);
    assert.equal(call.status, "queued");
    assert.equal(call.accountSid, ACCOUNT_SID);
    assert.equal(call.to, "+31611111111");
    assert.equal(call.direction, "outbound-api");
    assert.equal(call.apiVersion, "2010-04-01");
    assert.ok(call.dateCreated instanceof Date && !Number.isNaN(call.dateCreated.getTime()));
    const ended = await emu.callEnded(call.sid);
    assert.equal(ended.status, "completed");
    const fetched = await client.calls(call.sid).fetch();
    assert.equal(fetched.status, "completed");
    assert.ok(fetched.startTime instanceof Date);
    assert.equal(typeof fetched.duration, "string");
  });

  it("lists calls filtered by To and StartTime>, across pages", async () => {
    const to = "+31622222222";
    const since = new Date(Date.now() - 1000);
    const sids = [];
    for (let i = 0; i < 7; i++) sids.push((await client.calls.create({ to, from: FROM, twiml: TWIML })).sid);
    await client.calls.create({ to: "+31633333333", from: FROM, twiml: TWIML });
    const listed = await client.calls.list({ to, startTimeAfter: since, pageSize: 3 });
    assert.deepEqual(listed.map((c) => c.sid).sort(), [...sids].sort());
    assert.equal(listed[0].sid, sids[sids.length - 1], "newest first");
    const none = await client.calls.list({ to, startTimeAfter: new Date(Date.now() + 60_000) });
    assert.equal(none.length, 0);
    const first = await client.calls.page({ to, pageSize: 3 });
    assert.equal(first.instances.length, 3);
    assert.ok(first.nextPageUrl);
  });

  it("lists by Status and From", async () => {
    const call = await client.calls.create({ to: "+31644444444", from: "+3185111111", twiml: TWIML });
    await emu.callEnded(call.sid);
    const done = await client.calls.list({ from: "+3185111111", status: "completed" });
    assert.deepEqual(
      done.map((c) => c.sid),
      [call.sid],
    );
  });

  it("rejects a To that is not E.164 with 21211", async () => {
    await assert.rejects(
      client.calls.create({ to: "0612345678", from: FROM, twiml: TWIML }),
      (err: twilio.RestException) => {
        assert.equal(err.status, 400);
        assert.equal(err.code, 21211);
        assert.match(String(err.moreInfo), /21211/);
        return true;
      },
    );
  });

  it("rejects a number whose persona is invalid with 21211", async () => {
    emu.setPersona("+31655555555", { answer: "invalid" });
    await assert.rejects(client.calls.create({ to: "+31655555555", from: FROM, twiml: TWIML }), { code: 21211 });
    await assert.rejects(client.messages.create({ to: "+31655555555", from: FROM, body: "x" }), { code: 21211 });
  });

  it("refuses an SMS to a Dutch landline with 21614", async () => {
    await assert.rejects(
      client.messages.create({ to: "+31201234567", from: FROM, body: "Burgernet" }),
      (err: twilio.RestException) => {
        assert.equal(err.code, 21614);
        return true;
      },
    );
  });

  it("answers 401 with Twilio's error body for wrong credentials", async () => {
    const res = await fetch(`${emu.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Calls.json`, {
      headers: { authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:wrong`).toString("base64")}` },
    });
    assert.equal(res.status, 401);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.code, 20003);
    assert.equal(body.status, 401);
    assert.ok(body.message && body.more_info);
  });

  it("answers 404 / 20404 for an unknown call", async () => {
    await assert.rejects(client.calls("CA" + "0".repeat(32)).fetch(), { status: 404, code: 20404 });
  });

  it("sends an SMS: 201, SM SID, segments, then sent and delivered; list by To and DateSent>", async () => {
    const since = new Date(Date.now() - 1000);
    const msg = await client.messages.create({ to: "+31666666666", from: FROM, body: "Uw code is 123456" });
    assert.match(msg.sid, /^SM[0-9a-f]{32}$/);
    assert.equal(msg.status, "queued");
    assert.equal(msg.numSegments, "1");
    await emu.waitFor(() => emu.getMessage(msg.sid)?.status === "delivered");
    const listed = await client.messages.list({ to: "+31666666666", dateSentAfter: since });
    assert.deepEqual(
      listed.map((m) => m.sid),
      [msg.sid],
    );
    assert.equal(listed[0].status, "delivered");
    assert.equal(emu.messagesTo("+31666666666")[0].body, "Uw code is 123456");
  });

  it("sends with a MessagingServiceSid instead of From", async () => {
    const msg = await client.messages.create({
      to: "+31677777777",
      messagingServiceSid: "MG0123456789abcdef0123456789abcdef",
      body: "Burgernet",
    });
    assert.equal(msg.messagingServiceSid, "MG0123456789abcdef0123456789abcdef");
    assert.ok(msg.from);
  });

  it("cancels a queued call; the canceled call never starts", async () => {
    const { emu: slow, client: slowClient } = await emulatorWithClient({ cps: 1 });
    try {
      const first = await slowClient.calls.create({ to: "+31688888881", from: FROM, twiml: TWIML });
      const second = await slowClient.calls.create({ to: "+31688888882", from: FROM, twiml: TWIML });
      assert.ok(Number(second.queueTime) > 0, "the second call waits for a CPS slot");
      const canceled = await slowClient.calls(second.sid).update({ status: "canceled" });
      assert.equal(canceled.status, "canceled");
      await slow.callEnded(first.sid);
      assert.equal(slow.getCall(second.sid)?.startedAt, undefined);
      assert.equal(slow.callStarts().length, 1);
    } finally {
      await slow.close();
    }
  });

  it("answers 22005 when the call queue is full", async () => {
    const { emu: full, client: fullClient } = await emulatorWithClient({ cps: 1, queueSize: 1 });
    try {
      const first = await fullClient.calls.create({ to: "+31699999991", from: FROM, twiml: TWIML });
      await full.waitFor(() => full.getCall(first.sid)?.startedAt);
      // The next call waits a whole second for its CPS slot, filling the one-place queue.
      await fullClient.calls.create({ to: "+31699999992", from: FROM, twiml: TWIML });
      await assert.rejects(fullClient.calls.create({ to: "+31699999993", from: FROM, twiml: TWIML }), { code: 22005 });
    } finally {
      await full.close();
    }
  });
});
