import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { FastifyRequest } from "fastify";
import type { TwilioRoute } from "../../src/twilio/routes.js";
import { shapeProblem, signedUrl } from "../../src/twilio/webhook-auth.js";

// A signed request that is still not one Twilio sent to the route: each reason, at the edges of each format. The
// reason is what the operator reads on the request's log line (BN_TWILIO_SIGNATURE, problem).
const ACCOUNT = `AC${"0".repeat(32)}`;
const CALL = `CA${"0f9a".repeat(8)}`;
const VOICE: TwilioRoute = {
  path: "/twilio/voice/x",
  query: ["delivery", "attempt", "try", "alert", "general", "foo"],
  params: ["AccountSid", "CallSid", "Digits", "From", "To"],
  sid: "CallSid",
};
const WHISPER: TwilioRoute = {
  path: "/twilio/voice/whisper",
  query: ["delivery", "parent"],
  params: ["AccountSid", "CallSid", "ParentCallSid"],
  sid: "CallSid",
  deliverySid: "ParentCallSid",
};
const PARENT_ONLY: TwilioRoute = { ...WHISPER, deliverySid: undefined };
const base = { AccountSid: ACCOUNT, CallSid: CALL };

describe("the query: only the route's names, each in its format", () => {
  const UUID = "0f9a0f9a-0f9a-0f9a-0f9a-0f9a0f9a0f9a";
  const good: [string, string][] = [
    ["delivery", "1"],
    ["delivery", "9"],
    ["delivery", "10"],
    ["delivery", "19"],
    ["delivery", `9${"0".repeat(14)}`],
    ["attempt", "1"],
    ["attempt", "9999"],
    ["attempt", "1000"],
    ["try", "1"],
    ["try", "9999"],
    ["alert", UUID],
    ["alert", UUID.toUpperCase()],
    ["general", "1"],
  ];
  for (const [k, v] of good)
    test(`${k}=${v} is taken`, () => assert.equal(shapeProblem(VOICE, { [k]: v }, base, ACCOUNT), null));
  const bad: [string, unknown][] = [
    ["delivery", "0"],
    ["delivery", "01"],
    ["delivery", `1${"0".repeat(15)}`],
    ["delivery", "x1"],
    ["delivery", "1x"],
    ["delivery", ""],
    ["delivery", ["1", "1"]],
    ["delivery", 1],
    ["attempt", "0"],
    ["attempt", "10000"],
    ["attempt", "x1"],
    ["attempt", "1x"],
    ["try", "0"],
    ["try", "10000"],
    ["try", "x1"],
    ["try", "1x"],
    ["alert", `x${UUID}`],
    ["alert", `${UUID}0`],
    ["alert", UUID.slice(1)],
    ["alert", UUID.replace("-0f9a-", "-0f9-")],
    ["alert", UUID.replace(/a/g, "g")],
    ["general", "0"],
    ["general", "11"],
    ["general", "x1"],
    ["foo", "1"],
    ["parent", CALL],
    ["partner", "1"],
  ];
  for (const [k, v] of bad) {
    test(`${k}=${JSON.stringify(v)} is refused`, () =>
      assert.equal(shapeProblem(VOICE, { [k]: v }, base, ACCOUNT), `query ${k}`));
  }
  const parents: [string, string | null][] = [
    [CALL, null],
    [`CA${"0f9A".repeat(8)}`, "query parent"],
    [CALL.slice(0, -1), "query parent"],
    [`${CALL}0`, "query parent"],
    [`x${CALL}`, "query parent"],
    [`CB${CALL.slice(2)}`, "query parent"],
    [`CA${"0f9g".repeat(8)}`, "query parent"],
  ];
  for (const [parent, problem] of parents) {
    test(`parent=${parent}`, () =>
      assert.equal(shapeProblem(WHISPER, { parent }, { ...base, ParentCallSid: parent }, ACCOUNT), problem));
  }
});

describe("the form: Twilio's names, our account, the route's SID, Twilio's formats", () => {
  const cases: [string, Record<string, string>, string | null][] = [
    ["the SID and the account", base, null],
    ["every name, in its format", { ...base, Digits: "1#", From: "+31612345678", To: "+31201234567" }, null],
    ["a name Twilio does not send here", { ...base, Foo: "1" }, "an unknown parameter"],
    ["another account", { ...base, AccountSid: `AC${"1".repeat(32)}` }, "another account"],
    ["no account", { CallSid: CALL }, "another account"],
    ["no CallSid", { AccountSid: ACCOUNT, Digits: "1" }, "no CallSid"],
    ["Digits not keys", { ...base, Digits: "12a" }, "a malformed Digits"],
    ["a malformed CallSid", { ...base, CallSid: `CA${"0".repeat(31)}` }, "a malformed CallSid"],
    [
      "an absent later name inside a value",
      { ...base, From: "+31612345678To+31201234567" },
      "a parameter inside another",
    ],
    ["a present later name inside a value", { ...base, From: "+31612345678To", To: "+3120" }, null],
    ["an absent earlier name inside a value", { ...base, From: "Digits1", To: "+3120" }, null],
  ];
  for (const [name, params, problem] of cases) {
    test(name, () => assert.equal(shapeProblem(VOICE, {}, params, ACCOUNT), problem));
  }
});

describe("the parent call the query names", () => {
  const OTHER = `CA${"1".repeat(32)}`;
  test("is the one the form carries", () =>
    assert.equal(shapeProblem(WHISPER, { parent: CALL }, { ...base, ParentCallSid: CALL }, ACCOUNT), null));
  test("another one is refused", () =>
    assert.equal(
      shapeProblem(WHISPER, { parent: OTHER }, { ...base, ParentCallSid: CALL }, ACCOUNT),
      "another parent call",
    ));
  test("no parent in the query: nothing to compare", () =>
    assert.equal(shapeProblem(WHISPER, {}, { ...base, ParentCallSid: CALL }, ACCOUNT), null));
  test("a route without a delivery SID does not compare", () =>
    assert.equal(shapeProblem(PARENT_ONLY, { parent: OTHER }, { ...base, ParentCallSid: CALL }, ACCOUNT), null));
});

test("the URL Twilio signed: the public URL, one slash, the path and query as asked", () => {
  const req = { url: "/twilio/voice/x?delivery=1" } as FastifyRequest;
  assert.equal(signedUrl("https://voice.example.nl/", req), "https://voice.example.nl/twilio/voice/x?delivery=1");
  assert.equal(signedUrl("https://voice.example.nl", req), "https://voice.example.nl/twilio/voice/x?delivery=1");
  assert.equal(signedUrl("https://a.nl/base/", req), "https://a.nl/base/twilio/voice/x?delivery=1");
});
