import assert from "node:assert/strict";
import { describe, it } from "node:test";
import twilio from "twilio";
import { twilioSignature } from "../../src/sim/index.ts";

describe("X-Twilio-Signature", () => {
  const url = "https://mycompany.com/myapp.php?foo=1&bar=2";
  const params = {
    CallSid: "CA1234567890ABCDE",
    Caller: "+12349013030",
    Digits: "1234",
    From: "+12349013030",
    To: "+18005551212",
  };

  it("matches Twilio's published example", () => {
    assert.equal(twilioSignature("12345", url, params), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  });

  it("agrees with the SDK for repeated parameters and GET URLs", () => {
    const repeated = { StatusCallbackEvent: ["ringing", "answered", "ringing"], To: "+31612345678" };
    assert.equal(
      twilioSignature("secret", url, repeated),
      twilio.getExpectedTwilioSignature("secret", url, repeated as unknown as Record<string, string>),
    );
    const get = "https://burgernet.example/voice?CallSid=CA1&To=%2B31612345678";
    assert.ok(twilio.validateRequest("secret", twilioSignature("secret", get), get, {}));
  });

  it("changes when a parameter or the URL changes", () => {
    const base = twilioSignature("12345", url, params);
    assert.notEqual(twilioSignature("12345", url, { ...params, Digits: "1235" }), base);
    assert.notEqual(twilioSignature("12345", url.replace("https", "http"), params), base);
  });
});
