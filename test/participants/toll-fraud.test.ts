import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { bearer, startStack, type Stack } from "../helpers/stack.js";
import { phoneRefusal } from "../../src/participants/phone.js";
import { createApiKey } from "../../src/access/keys.js";

// A clock the test moves: resends "a minute later" without waiting a minute.
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);
const later = (ms: number) => (offsetMs += ms);

let s: Stack;
before(async () => {
  s = await startStack({ clock });
});
after(() => s.close());

const home = { kind: "home", postcode: "1012 AB" };
const register = (phone: string, channels = ["sms"], key = s.keys.registration) =>
  s.app.inject({
    method: "POST",
    url: "/v1/participants",
    headers: bearer(key),
    payload: { phone, channels, locations: [home] },
  });
const resend = (id: string) =>
  s.app.inject({ method: "POST", url: `/v1/participants/${id}/resend`, headers: bearer(s.keys.registration) });
const verify = (id: string, code: string) =>
  s.app.inject({
    method: "POST",
    url: `/v1/participants/${id}/verify`,
    headers: bearer(s.keys.registration),
    payload: { code },
  });
const sentTo = (phone: string) => s.emulator.messagesTo(phone).length + s.emulator.callsTo(phone).length;
const rowsFor = async (phone: string) =>
  (await s.db.query("SELECT count(*)::int AS n FROM participants WHERE phone = $1", [phone])).rows[0].n as number;

describe("only numbers we may send to at our cost", () => {
  for (const [phone, what] of [
    ["+5351234567", "Cuba"],
    ["+23276123456", "Sierra Leone"],
    ["+88216123456", "a satellite number (+882)"],
    ["+31900123456", "Dutch premium rate (0900)"],
    ["+31909123456", "Dutch premium rate (0909)"],
    ["+31850123456", "Dutch VoIP (085)"],
    ["+31880123456", "Dutch UAN (088)"],
    ["+3197010000001", "Dutch M2M (097)"],
  ]) {
    test(`${what} is refused with BN_PHONE_NOT_ALLOWED and nothing is sent`, async () => {
      const res = await register(phone, ["voice"]);
      assert.equal(res.statusCode, 422, res.body);
      assert.equal(res.json().error.code, "BN_PHONE_NOT_ALLOWED");
      assert.equal(sentTo(phone), 0);
      assert.equal(await rowsFor(phone), 0);
    });
  }

  test("allowed countries are configuration", () => {
    assert.match(phoneRefusal("+32470123456", ["NL"])!, /BE/);
    assert.equal(phoneRefusal("+32470123456", ["NL", "BE"]), null);
    assert.equal(phoneRefusal("+31612345678", ["NL"]), null);
    assert.equal(phoneRefusal("+31201234567", ["NL"]), null);
  });
});

describe("at most 3 codes per phone per hour, however they are asked for", () => {
  test("10 parallel registrations of one phone send 3 codes; the rest are refused and write nothing", async () => {
    const phone = "+31611110001";
    const answers = await Promise.all(Array.from({ length: 10 }, () => register(phone)));
    const codes = answers.map((r) => r.statusCode).sort();
    assert.deepEqual(codes, [202, 202, 202, 429, 429, 429, 429, 429, 429, 429]);
    for (const r of answers.filter((a) => a.statusCode === 429)) {
      assert.equal(r.json().error.code, "BN_RATE_LIMITED");
      assert.deepEqual(r.json().error.details, { limit: "phone", perHour: true });
    }
    await s.emulator.waitFor(() => s.emulator.messagesTo(phone).length >= 3);
    assert.equal(sentTo(phone), 3);
    assert.equal(await rowsFor(phone), 3);
  });

  test("a resend every minute counts: the 4th code in an hour is refused, an hour later one is allowed", async () => {
    const phone = "+31611110002";
    const first = await register(phone);
    assert.equal(first.statusCode, 202);
    const { id } = first.json();
    later(61_000);
    assert.equal((await resend(id)).statusCode, 202);
    later(61_000);
    assert.equal((await resend(id)).statusCode, 202);
    later(61_000);
    const fourth = await resend(id);
    assert.equal(fourth.statusCode, 429);
    assert.equal(fourth.json().error.code, "BN_RATE_LIMITED");
    assert.equal((await register(phone)).statusCode, 429, "a new registration does not reset the count");
    await s.emulator.waitFor(() => s.emulator.messagesTo(phone).length >= 3);
    assert.equal(sentTo(phone), 3);
    later(3600_000);
    assert.equal((await resend(id)).statusCode, 202);
  });

  test("codes per API key per hour are limited too", async () => {
    const stack = await startStack({ env: { CODES_PER_KEY_PER_HOUR: "2" } });
    try {
      const key = (await createApiKey(stack.db, { role: "registration" })).key;
      const reg = (phone: string) =>
        stack.app.inject({
          method: "POST",
          url: "/v1/participants",
          headers: bearer(key),
          payload: { phone, channels: ["sms"], locations: [home] },
        });
      assert.equal((await reg("+31611110101")).statusCode, 202);
      assert.equal((await reg("+31611110102")).statusCode, 202);
      const third = await reg("+31611110103");
      assert.equal(third.statusCode, 429);
      assert.match(third.json().error.message, /API key/);
      assert.deepEqual(third.json().error.details, { limit: "key", perHour: true });
      assert.equal(stack.emulator.messagesTo("+31611110103").length, 0);
    } finally {
      await stack.close();
    }
  });

  test("and codes in all per hour, whichever key asks: the 429 says it is the total", async () => {
    const stack = await startStack({ env: { CODES_PER_HOUR: "2" } });
    try {
      const keys = [stack.keys.registration, (await createApiKey(stack.db, { role: "registration" })).key];
      const reg = (phone: string, key: string) =>
        stack.app.inject({
          method: "POST",
          url: "/v1/participants",
          headers: bearer(key),
          payload: { phone, channels: ["sms"], locations: [home] },
        });
      assert.equal((await reg("+31611110201", keys[0])).statusCode, 202);
      assert.equal((await reg("+31611110202", keys[1])).statusCode, 202);
      const third = await reg("+31611110203", keys[1]);
      assert.equal(third.statusCode, 429);
      assert.match(third.json().error.message, /in the last hour/);
      assert.deepEqual(third.json().error.details, { limit: "total", perHour: true });
      assert.equal(stack.emulator.messagesTo("+31611110203").length, 0);
    } finally {
      await stack.close();
    }
  });
});

describe("code attempts are limited per phone, not per registration", () => {
  test("5 wrong codes over two registrations of one phone use up its attempts: even the right code is refused", async () => {
    const phone = "+31611110003";
    const a = (await register(phone)).json().id;
    const b = (await register(phone)).json().id;
    await s.emulator.waitFor(() => s.emulator.messagesTo(phone).length >= 2);
    const codeOfB = /(\d{6})/.exec(s.emulator.messagesTo(phone).at(-1)!.body)![1];
    const wrong = codeOfB === "000000" ? "111111" : "000000";
    for (let i = 0; i < 3; i++) assert.equal((await verify(a, wrong)).statusCode, 422);
    for (let i = 0; i < 2; i++) assert.equal((await verify(b, wrong)).statusCode, 422);
    const right = await verify(b, codeOfB);
    assert.equal(right.statusCode, 422);
    assert.equal(right.json().error.code, "BN_VERIFICATION_FAILED");
    assert.match(right.json().error.message, /Too many attempts/);
  });
});
