import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator } from "../../src/sim/index.ts";
import type { TwilioClient } from "../../src/twilio/client.ts";
import { FROM, emulatorWithClient, startTwimlApp } from "./helpers.ts";

const TWIML = "<Response><Say>Hallo</Say></Response>";

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    const e = err as { status: number; code: number; moreInfo: string; message: string };
    return { status: e.status, code: e.code, moreInfo: e.moreInfo, message: e.message };
  }
  assert.fail("the request was accepted");
}

describe("fault injection: creates fail as Twilio fails them", () => {
  let emu: Emulator;
  let client: TwilioClient;
  before(async () => {
    ({ emu, client } = await emulatorWithClient());
  });
  after(() => emu.close());

  it("answers with Twilio's error JSON (code, message, more_info, status), in sequence, then accepts again", async () => {
    emu.failCreates({ status: 401, code: 20003, count: 2 }, { status: 500, count: 1, resource: "calls" });
    assert.deepEqual(await refusal(client.calls.create({ to: "+31611111111", from: FROM, twiml: TWIML })), {
      status: 401,
      code: 20003,
      moreInfo: "https://www.twilio.com/docs/errors/20003",
      message: "Authenticate",
    });
    const sms = await refusal(client.messages.create({ to: "+31611111111", from: FROM, body: "x" }));
    assert.equal(sms.code, 20003);
    assert.deepEqual(await refusal(client.calls.create({ to: "+31611111111", from: FROM, twiml: TWIML })), {
      status: 500,
      code: 20500,
      moreInfo: "https://www.twilio.com/docs/errors/20500",
      message: "Internal Server Error",
    });
    const call = await client.calls.create({ to: "+31611111111", from: FROM, twiml: TWIML });
    assert.equal(call.status, "queued");
    assert.equal(emu.calls().length, 1, "refused creates create nothing");
  });

  it("for a while (forMs), whatever the number of requests", async () => {
    emu.failCreates({ status: 403, code: 20005, message: "Account not active", forMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      const e = await refusal(client.messages.create({ to: "+31611111112", from: FROM, body: "x" }));
      assert.deepEqual([e.status, e.code, e.message], [403, 20005, "Account not active"]);
    }
    emu.clearFaults();
    assert.equal((await client.messages.create({ to: "+31611111112", from: FROM, body: "x" })).status, "queued");
  });

  it("a reset before the request is handled creates nothing; after, the call exists though the answer was lost", async () => {
    const to = "+31611111113";
    emu.failCreates({ reset: "before", count: 1 }, { reset: "after", count: 1 });
    await assert.rejects(client.calls.create({ to, from: FROM, twiml: TWIML }), (err: { status?: number }) => {
      assert.equal(err.status, undefined, "no HTTP answer");
      return true;
    });
    assert.equal(emu.callsTo(to).length, 0);
    await assert.rejects(client.calls.create({ to, from: FROM, twiml: TWIML }));
    assert.equal(emu.callsTo(to).length, 1, "created, answer lost");
    assert.equal((await client.calls.list({ to })).length, 1, "and the carrier's list shows it");
  });
});

describe("fault injection: lost status callbacks", () => {
  it("loses all callbacks, or only those for some numbers; the REST API still knows the final status", async () => {
    const hits: string[] = [];
    const app = await startTwimlApp({
      "/status": (p) => {
        hits.push(`${p.To} ${p.CallStatus}`);
        return "";
      },
    });
    const { emu, client } = await emulatorWithClient();
    try {
      emu.loseCallbacks({ numbers: ["+31611111121"] });
      const events = ["initiated", "ringing", "answered", "completed"];
      const lost = await client.calls.create({
        to: "+31611111121",
        from: FROM,
        twiml: TWIML,
        statusCallback: `${app.url}/status`,
        statusCallbackEvent: events,
      });
      const kept = await client.calls.create({
        to: "+31611111122",
        from: FROM,
        twiml: TWIML,
        statusCallback: `${app.url}/status`,
        statusCallbackEvent: events,
      });
      await emu.callEnded(lost.sid);
      await emu.callEnded(kept.sid);
      assert.deepEqual(
        hits.filter((h) => h.startsWith("+31611111121")),
        [],
      );
      assert.deepEqual(
        hits.filter((h) => h.startsWith("+31611111122")),
        ["+31611111122 initiated", "+31611111122 ringing", "+31611111122 in-progress", "+31611111122 completed"],
      );
      assert.equal((await client.calls(lost.sid).fetch()).status, "completed");
    } finally {
      await emu.close();
      await app.app.close();
    }
  });
});
