import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, test } from "node:test";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { pino } from "pino";
import twilio from "twilio";
import { installErrorHandler } from "../../src/errors.js";
import { RequestLog } from "../../src/http/request-log.js";
import { loggerOptions } from "../../src/log.js";
import type { TwilioRoute } from "../../src/twilio/routes.js";
import { installFormParser, verifyTwilioRequest } from "../../src/twilio/webhook-auth.js";

// The first reason found is the one logged: the refusals below name delivery 12, whose SID no request carries.
// Each reason a Twilio request is refused, as the operator reads it on the request's one log line (403
// BN_TWILIO_SIGNATURE, `problem`), and which delivery check each kind of route asks for.
const TOKEN = "t".repeat(32);
const ACCOUNT = `AC${"0".repeat(32)}`;
const URL = "https://voice.example.nl";
const CALL = `CA${"1".repeat(32)}`;
const PARENT = `CA${"2".repeat(32)}`;
const MESSAGE = `SM${"3".repeat(32)}`;
const call = (path: string): TwilioRoute => ({
  path: `/twilio/${path}`,
  query: ["delivery"],
  params: ["AccountSid", "CallSid"],
  sid: "CallSid",
});
const ROUTES: TwilioRoute[] = [
  call("voice/a"),
  { path: "/twilio/sms/s", query: ["delivery"], params: ["AccountSid", "MessageSid"], sid: "MessageSid" },
  { ...call("voice/w"), params: ["AccountSid", "CallSid", "ParentCallSid"], deliverySid: "ParentCallSid" },
];
/** The SID of delivery 11 on each channel; every other delivery belongs to no SID. */
const OWN = { voice: [CALL, PARENT], sms: [MESSAGE] };
const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});
let app: FastifyInstance;
before(async () => {
  app = Fastify({
    loggerInstance: pino(loggerOptions("info"), sink) as unknown as FastifyBaseLogger,
    logController: new RequestLog(60_000),
  } as never) as unknown as FastifyInstance;
  installErrorHandler(app);
  installFormParser(app);
  const preValidation = verifyTwilioRequest({
    publicUrl: URL,
    accountSid: ACCOUNT,
    authToken: () => TOKEN,
    routeOf: (path) => ROUTES.find((r) => r.path === path),
    isDeliverySid: async (id, channel, sid) => id === 11 && OWN[channel].includes(sid),
  });
  for (const path of [...ROUTES.map((r) => r.path), "/twilio/voice/unlisted"])
    app.post(path, { preValidation }, async () => "<Response/>");
});
after(() => app.close());

async function post(
  url: string,
  params: Record<string, string>,
  signature = twilio.getExpectedTwilioSignature(TOKEN, URL + url, params),
) {
  const from = lines.length;
  const res = await app.inject({
    method: "POST",
    url,
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
    payload: new URLSearchParams(params).toString(),
  });
  const line = lines.slice(from).find((l) => "reqId" in l);
  return {
    status: res.statusCode,
    code: res.statusCode === 200 ? null : res.json().error.code,
    problem: line?.problem,
  };
}

const voice = { AccountSid: ACCOUNT, CallSid: CALL };
const sms = { AccountSid: ACCOUNT, MessageSid: MESSAGE };
const whisper = { ...voice, ParentCallSid: PARENT };
const refused = (problem: string) => ({ status: 403, code: "BN_TWILIO_SIGNATURE", problem });
const taken = { status: 200, code: null, problem: undefined };

const cases: [string, string, Record<string, string>, string | undefined, object][] = [
  ["a call about its own delivery", "/twilio/voice/a?delivery=11", voice, undefined, taken],
  ["a call naming no delivery is not checked against one", "/twilio/voice/a", voice, undefined, taken],
  [
    "a call about another delivery",
    "/twilio/voice/a?delivery=12",
    voice,
    undefined,
    refused("not the SID of the delivery it names"),
  ],
  ["an SMS about its own delivery", "/twilio/sms/s?delivery=11", sms, undefined, taken],
  [
    "an SMS with a call's SID as its delivery",
    "/twilio/sms/s?delivery=12",
    sms,
    undefined,
    refused("not the SID of the delivery it names"),
  ],
  ["a whisper checked by its parent call", "/twilio/voice/w?delivery=11", whisper, undefined, taken],
  [
    "a whisper whose own call is the delivery's",
    "/twilio/voice/w?delivery=11",
    { ...voice, CallSid: PARENT, ParentCallSid: `CA${"4".repeat(32)}` },
    undefined,
    refused("not the SID of the delivery it names"),
  ],
  [
    "a whisper without its parent call",
    "/twilio/voice/w?delivery=11",
    voice,
    undefined,
    refused("not the SID of the delivery it names"),
  ],
  ["a route not in the table", "/twilio/voice/unlisted?delivery=12", voice, undefined, refused("no such route")],
  ["a bad signature", "/twilio/voice/a?delivery=12", voice, "x", refused("a bad signature")],
  [
    "a request of another shape",
    "/twilio/voice/a?delivery=12",
    { ...voice, Foo: "1" },
    undefined,
    refused("an unknown parameter"),
  ],
];
for (const [name, url, params, signature, expected] of cases) {
  test(name, async () => assert.deepEqual(await post(url, params, signature), expected));
}
