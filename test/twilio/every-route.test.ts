import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { TWILIO_ROUTES, type TwilioRouteName } from "../../src/twilio/routes.js";
import type { Stack } from "../helpers/stack.js";
import { dam, mobile, seedParticipants } from "../helpers/participants.js";
import { BURGERNET, MELDKAMER, seedAlert, seedDelivery, startIvrStack } from "../ivr/helpers.js";
import { postTwilio, sid, signatureOf, smsParams, voiceParams, writtenState, type Params } from "./helpers.js";
import { reshapes } from "./reshape.js";

// Issue 21: for every Twilio route, a validly signed request reshaped as an attacker holding it could (the same
// signed string), or signed but not what Twilio sends there, is refused with a 4xx and writes nothing.
// Fixed seed, bounded count: RESHAPES per route.
const RESHAPES = 28;
const SEED = 21;

let stack: Stack;
const d = { voice: 0, other: 0, unsent: 0, sms: 0 };
const phone = mobile(3100);
const callSid = sid("CA", 0x3100);
const smsSid = sid("SM", 0x3100);

before(async () => {
  stack = await startIvrStack();
  const [participantId, otherId] = await seedParticipants(stack.db, [
    { phone, lat: dam.lat, lon: dam.lon },
    { phone: mobile(3101), lat: dam.lat, lon: dam.lon },
  ]);
  const alertId = await seedAlert(stack.db);
  d.voice = await seedDelivery(stack.db, { alertId, participantId, phone });
  d.other = await seedDelivery(stack.db, { alertId, participantId: otherId, phone: mobile(3101) });
  d.unsent = await seedDelivery(stack.db, { alertId, participantId: otherId, phone: mobile(3101), channel: "sms" });
  d.sms = await seedDelivery(stack.db, { alertId, participantId, phone, channel: "sms" });
  const setSid = "UPDATE deliveries SET provider_sid = $2 WHERE id = $1";
  await stack.db.query(setSid, [d.voice, callSid]);
  await stack.db.query(setSid, [d.other, sid("CA", 0x3101)]);
  await stack.db.query(setSid, [d.sms, smsSid]);
  await stack.db.query("UPDATE deliveries SET status = 'pending' WHERE id = $1", [d.unsent]);
});
after(() => stack.close());

/** A request Twilio would send to each route: its path with query, and its parameters. */
function genuine(name: TwilioRouteName): { path: string; params: Params } {
  const call = voiceParams(stack, { callSid, from: BURGERNET, to: phone });
  const q = `?delivery=${d.voice}`;
  const gather = (extra: Params) => ({ ...call, msg: "Gather End", ...extra });
  const requests: Record<TwilioRouteName, { query: string; params: Params }> = {
    alert: { query: q, params: call },
    closing: { query: q, params: call },
    afterClosing: { query: `${q}&try=1`, params: call },
    voicemail: { query: q, params: call },
    amd: {
      query: q,
      params: { AccountSid: call.AccountSid, CallSid: callSid, AnsweredBy: "human", MachineDetectionDuration: "1800" },
    },
    menu: { query: `${q}&try=1`, params: gather({ Digits: "2", FinishedOnKey: "" }) },
    presence: { query: q, params: gather({ Digits: "1", FinishedOnKey: "" }) },
    tip: { query: q, params: gather({ SpeechResult: "Een man met een rode jas", Confidence: "0.91" }) },
    recorded: {
      query: q,
      params: { ...call, RecordingUrl: `${stack.emulator.url}/rec/RE1`, RecordingSid: sid("RE", 1), Digits: "#" },
    },
    dialed: {
      query: q,
      params: { ...call, DialCallStatus: "completed", DialCallSid: sid("CA", 0x3199), DialCallDuration: "30" },
    },
    whisper: {
      query: `${q}&parent=${callSid}`,
      params: {
        ...voiceParams(stack, { callSid: sid("CA", 0x3199), from: phone, to: MELDKAMER }),
        ParentCallSid: callSid,
        Direction: "outbound-dial",
      },
    },
    unsubscribe: { query: q, params: gather({ Digits: "2" }) },
    postcode: { query: `${q}&try=1`, params: gather({ Digits: "1011" }) },
    inbound: { query: "", params: voiceParams(stack, { callSid, from: phone, to: BURGERNET, outbound: false }) },
    pick: { query: "?general=1&try=1", params: gather({ Digits: "1" }) },
    callStatus: {
      query: `${q}&attempt=1`,
      params: { ...call, CallStatus: "ringing", CallbackSource: "call-progress-events", SequenceNumber: "1" },
    },
    smsInbound: {
      query: "",
      params: smsParams(stack, { messageSid: smsSid, from: phone, to: BURGERNET, body: "Tip!" }),
    },
    smsStatus: {
      query: `?delivery=${d.sms}&attempt=1`,
      params: {
        AccountSid: call.AccountSid,
        ApiVersion: "2010-04-01",
        MessageSid: smsSid,
        MessageStatus: "delivered",
        SmsSid: smsSid,
        SmsStatus: "delivered",
        From: BURGERNET,
        To: phone,
      },
    },
  };
  return { path: TWILIO_ROUTES[name].path + requests[name].query, params: requests[name].params };
}

interface Attempt {
  what: string;
  send: () => ReturnType<typeof postTwilio>;
}

/** Signed by someone who has the token: not Twilio's shape for the route, or not the delivery's own SID. */
function signedButWrong(name: TwilioRouteName, path: string, params: Params): Attempt[] {
  const sidName = TWILIO_ROUTES[name].sid;
  const { [sidName]: _sid, ...withoutSid } = params;
  const list: [string, string, Params][] = [
    ["an unknown field", path, { ...params, Foo: "bar" }],
    ["a __proto__ field", path, { ...params, __proto__x: "1", ["__proto__"]: "x" } as Params],
    ["a lower-case name", path, { ...params, accountsid: params.AccountSid }],
    ["no SID", path, withoutSid],
    ["a malformed SID", path, { ...params, [sidName]: `${params[sidName].slice(0, -1)}Z` }],
    ["another account", path, { ...params, AccountSid: sid("AC", 0xbad) }],
  ];
  if (path.includes("delivery=")) {
    const own = name === "smsStatus" ? d.sms : d.voice;
    for (const [what, id] of [
      ["another delivery", name === "smsStatus" ? d.voice : d.other],
      ["a delivery not sent yet", d.unsent],
      ["a delivery that does not exist", 987654],
    ] as const) {
      list.push([what, path.replace(`delivery=${own}`, `delivery=${id}`), params]);
    }
  }
  return list.map(([what, p, ps]) => ({ what, send: () => postTwilio(stack, p, ps) }));
}

/** Replayed with the captured signature: reshaped, sent twice in one form, or as JSON. */
function captured(path: string, params: Params, index: number): Attempt[] {
  const signature = signatureOf(stack, path, params);
  const form = new URLSearchParams(params).toString();
  const first = Object.keys(params)[0];
  const out: Attempt[] = [
    { what: "JSON body", send: () => postTwilio(stack, path, params, { signature, json: true }) },
    {
      what: "a field twice",
      send: () =>
        postTwilio(stack, path, params, { signature, raw: `${form}&${first}=${encodeURIComponent(params[first])}` }),
    },
  ];
  for (const shape of reshapes(path, params, RESHAPES, SEED + index)) {
    const raw = new URLSearchParams(shape.pairs).toString();
    out.push({ what: shape.kind, send: () => postTwilio(stack, shape.path, {}, { signature, raw }) });
  }
  return out;
}

test("every Twilio route refuses reshaped and misshapen signed requests, writing nothing", async () => {
  const names = Object.keys(TWILIO_ROUTES) as TwilioRouteName[];
  let sent = 0;
  for (const [index, name] of names.entries()) {
    const { path, params } = genuine(name);
    const ok = await postTwilio(stack, path, params);
    assert.ok(ok.statusCode < 300, `${name}: the genuine request is taken (${ok.statusCode} ${ok.body})`);
    const before = await writtenState(stack.db);
    for (const attempt of [...captured(path, params, index), ...signedButWrong(name, path, params)]) {
      const res = await attempt.send();
      sent++;
      assert.ok(
        res.statusCode >= 400 && res.statusCode < 500,
        `${name}, ${attempt.what}: ${res.statusCode} ${res.body}`,
      );
      assert.ok(res.json().error?.code, `${name}, ${attempt.what}: the one error shape`);
    }
    assert.deepEqual(await writtenState(stack.db), before, `${name}: nothing written`);
  }
  assert.ok(sent >= names.length * RESHAPES, `${sent} requests sent`);
});
