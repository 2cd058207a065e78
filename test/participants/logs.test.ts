import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { bearer, startStack, type Stack } from "../helpers/stack.js";
import { home, phoneForms } from "./helpers.js";
import { capturedLogger } from "../helpers/log-capture.js";

const { lines, logger } = capturedLogger("info");
let s: Stack;

before(async () => {
  s = await startStack({ logger });
});
after(() => s.close());

function assertNoNumber(text: string, e164: string) {
  for (const form of phoneForms(e164)) assert.ok(!text.includes(form), `${form} in the log: ${text.slice(0, 2000)}`);
}

describe("logs never show a phone number", () => {
  test("a code SMS the carrier refuses (21211, the number in its text) is logged without the number", async () => {
    const phone = "+31612370001";
    s.emulator.setPersona(phone, { answer: "invalid" });
    const from = lines.length;
    const res = await s.app.inject({
      method: "POST",
      url: "/v1/participants",
      headers: bearer(s.keys.registration),
      payload: { phone, channels: ["sms"], locations: [home] },
    });
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${res.statusCode} ${res.body}`);
    const log = lines.slice(from).join("\n");
    assert.match(log, /is not a valid phone number/, "the carrier's error is logged");
    assert.match(log, /21211/);
    assertNoNumber(log, phone);
    assert.match(log, /\+316•••••001/, "masked, so the operator can still tell numbers apart");
  });

  test("a unique violation's detail (Key (phone)=(+316…)) is logged without the number", async () => {
    const phone = "+31612370002";
    const insert = () =>
      s.db.query(
        "INSERT INTO participants (phone, phone_type, channels, status) VALUES ($1, 'mobile', '{sms}', 'active')",
        [phone],
      );
    await insert();
    const err = await insert().then(
      () => assert.fail("the second active registration must be refused"),
      (e: Error & { detail?: string }) => e,
    );
    assert.match(err.detail ?? "", /\+31612370002/, "PostgreSQL names the number");
    const from = lines.length;
    s.app.log.error({ err }, "request failed");
    s.app.log.warn({ error: err, context: { note: `retry for ${phone}` } }, "again");
    s.app.log.warn(`could not register 0612370002: ${err.message}`);
    const log = lines.slice(from).join("\n");
    assert.match(log, /already exists/);
    assert.match(log, /participants_active_phone/);
    assertNoNumber(log, phone);
  });
});
