import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { bearer, startStack, type Stack } from "../helpers/stack.js";

let s: Stack;
before(async () => {
  s = await startStack({ dispatch: { autoStart: false } });
});
after(() => s.close());

const nextSlot = async (channel: string) =>
  (await s.db.query<{ at: Date }>("SELECT next_slot AS at FROM pace WHERE channel = $1", [channel])).rows[0].at;

async function register(phone: string, channels: string[]) {
  const res = await s.app.inject({
    method: "POST",
    url: "/v1/participants",
    headers: bearer(s.keys.registration),
    payload: { phone, channels, locations: [{ kind: "home", postcode: "1011" }] },
  });
  assert.equal(res.statusCode, 202, res.body);
}

test("registration codes go through the carrier interface and take a slot of the shared pace, SMS and calls alike", async () => {
  const smsBefore = await nextSlot("sms");
  await register("06 1234 9876", ["voice", "sms"]);
  await s.emulator.waitFor(() => s.emulator.messagesTo("+31612349876").at(-1));
  assert.ok((await nextSlot("sms")) > smsBefore, "the code SMS reserved a start slot on the shared SMS pace");

  const voiceBefore = await nextSlot("voice");
  await register("020 555 9876", ["voice"]);
  await s.emulator.waitFor(() => s.emulator.callsTo("+31205559876")[0]);
  assert.ok((await nextSlot("voice")) > voiceBefore, "the code call (landline) reserved a slot on the voice pace");

  const body = (await s.app.inject({ url: "/metrics", headers: bearer(s.keys.admin) })).body;
  assert.match(body, /burgernet_carrier_requests_total\{operation="sendSms",outcome="ok"\} 1\n/);
  assert.match(body, /burgernet_carrier_requests_total\{operation="placeCall",outcome="ok"\} 1\n/);
});
