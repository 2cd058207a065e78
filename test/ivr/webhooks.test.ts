import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import twilio from "twilio";
import type { Stack } from "../helpers/stack.js";
import { dam, mobile, seedParticipants } from "../helpers/participants.js";
import { BURGERNET, MELDKAMER, seedAlert, seedDelivery, startIvrStack } from "./helpers.js";
import { sid, smsParams, voiceParams } from "../twilio/helpers.js";

// The service sits behind a TLS-terminating proxy: Twilio signs the public https URL, not the one we listen on.
const PUBLIC_URL = "https://burgernet.example";

let stack: Stack;
let token: string;
let n = 0;

before(async () => {
  stack = await startIvrStack({ env: { PUBLIC_URL } });
  token = stack.config.twilio!.authToken;
});
after(async () => {
  await stack.close();
});

function post(
  path: string,
  params: Record<string, string>,
  opts: { signature?: string; headers?: Record<string, string> } = {},
) {
  params = asTwilioSends(path, params);
  const signature = opts.signature ?? twilio.getExpectedTwilioSignature(token, PUBLIC_URL + path, params);
  return stack.app.inject({
    method: "POST",
    url: path,
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature, ...opts.headers },
    payload: new URLSearchParams(params).toString(),
  });
}

/** The parameters a test names, with the rest of what Twilio sends to that route around them. */
function asTwilioSends(path: string, params: Record<string, string>): Record<string, string> {
  const from = params.From ?? BURGERNET;
  const to = params.To ?? mobile(999);
  if (path.startsWith("/twilio/sms/"))
    return { ...smsParams(stack, { messageSid: params.MessageSid, from, to, body: params.Body ?? "" }), ...params };
  return { ...voiceParams(stack, { callSid: params.CallSid, from, to }), ...params };
}

async function setup() {
  const phone = mobile(900 + n++);
  const [participantId] = await seedParticipants(stack.db, [{ phone, lat: dam.lat, lon: dam.lon }]);
  const alertId = await seedAlert(stack.db);
  const deliveryId = await seedDelivery(stack.db, { alertId, participantId, phone });
  const callSid = sid("CA", n);
  // The SID the carrier answered the call's creation with, as the dispatcher records it.
  await stack.db.query("UPDATE deliveries SET provider_sid = $2 WHERE id = $1", [deliveryId, callSid]);
  return { phone, participantId, alertId, deliveryId, callSid };
}

const count = async (sql: string, values: unknown[]) => Number((await stack.db.query(sql, values)).rows[0].n);

describe("Twilio webhook signatures", () => {
  test("a forged signature gets 403 and writes nothing", async () => {
    const { alertId, deliveryId, callSid, phone } = await setup();
    const params = { CallSid: callSid, From: BURGERNET, To: phone, SpeechResult: "Ik zag hem", Confidence: "0.9" };
    const res = await post(`/twilio/voice/tip?delivery=${deliveryId}`, params, { signature: "bm90IGEgc2lnbmF0dXJl" });
    assert.equal(res.statusCode, 403);
    assert.deepEqual(res.json(), { error: { code: "BN_TWILIO_SIGNATURE", message: "Invalid X-Twilio-Signature" } });
    assert.equal(await count("SELECT count(*) AS n FROM sightings WHERE alert_id = $1", [alertId]), 0);
  });

  test("a signature for another URL (a changed query) is refused", async () => {
    const a = await setup();
    const b = await setup();
    const params = { CallSid: a.callSid, SpeechResult: "Ik zag hem", Confidence: "0.9" };
    const signature = twilio.getExpectedTwilioSignature(
      token,
      `${PUBLIC_URL}/twilio/voice/tip?delivery=${a.deliveryId}`,
      params,
    );
    const res = await post(`/twilio/voice/tip?delivery=${b.deliveryId}`, params, { signature });
    assert.equal(res.statusCode, 403);
    assert.equal(await count("SELECT count(*) AS n FROM sightings WHERE alert_id = $1", [b.alertId]), 0);
  });

  test("a signature over the URL we listen on (not the public one) is refused", async () => {
    const { deliveryId, callSid } = await setup();
    const params = { CallSid: callSid };
    const signature = twilio.getExpectedTwilioSignature(
      token,
      `${stack.url}/twilio/voice/alert?delivery=${deliveryId}`,
      params,
    );
    assert.equal((await post(`/twilio/voice/alert?delivery=${deliveryId}`, params, { signature })).statusCode, 403);
  });

  test("an unsigned STOP by SMS changes nothing", async () => {
    const { phone, participantId } = await setup();
    const res = await stack.app.inject({
      method: "POST",
      url: "/twilio/sms/inbound",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ From: phone, Body: "STOP", MessageSid: "SM1" }).toString(),
    });
    assert.equal(res.statusCode, 403);
    assert.equal(
      (await stack.db.query("SELECT status FROM participants WHERE id = $1", [participantId])).rows[0].status,
      "active",
    );
  });

  test("every IVR route checks the signature", async () => {
    const paths = [
      "alert",
      "menu",
      "tip",
      "recorded",
      "dialed",
      "whisper",
      "unsubscribe",
      "postcode",
      "inbound",
      "pick",
      "amd",
      "voicemail",
      "closing",
    ];
    for (const path of [...paths.map((p) => `/twilio/voice/${p}?delivery=1`), "/twilio/sms/inbound"]) {
      const res = await post(path, { CallSid: sid("CA", 1) }, { signature: "x" });
      assert.equal(res.statusCode, 403, path);
    }
  });
});

describe("Twilio retries", () => {
  test("the same tip webhook twice stores one sighting and one event, and answers the same", async () => {
    const { alertId, deliveryId, callSid, phone } = await setup();
    const params = {
      CallSid: callSid,
      From: BURGERNET,
      To: phone,
      SpeechResult: "Hij rende de Kalverstraat in",
      Confidence: "0.91",
    };
    const first = await post(`/twilio/voice/tip?delivery=${deliveryId}`, params);
    // Committed before the thank-you: the row is there the moment the TwiML is.
    assert.equal(await count("SELECT count(*) AS n FROM sightings WHERE alert_id = $1", [alertId]), 1);
    const second = await post(`/twilio/voice/tip?delivery=${deliveryId}`, params, {
      headers: { "i-twilio-idempotency-token": "retry-1" },
    });
    assert.equal(first.statusCode, 200);
    assert.equal(second.body, first.body);
    assert.match(first.body, /Uw tip is doorgegeven aan de politie/);
    assert.equal(await count("SELECT count(*) AS n FROM sightings WHERE alert_id = $1", [alertId]), 1);
    assert.equal(
      await count("SELECT count(*) AS n FROM events WHERE type = 'sighting.created' AND alert_id = $1", [alertId]),
      1,
    );
  });

  test("the same recording webhook twice stores one sighting", async () => {
    const { alertId, deliveryId, callSid } = await setup();
    await post(`/twilio/voice/tip?delivery=${deliveryId}`, {
      CallSid: callSid,
      SpeechResult: "ehm",
      Confidence: "0.2",
    });
    const params = { CallSid: callSid, RecordingUrl: "https://api.twilio.com/rec/RE1", RecordingDuration: "9" };
    await post(`/twilio/voice/recorded?delivery=${deliveryId}`, params);
    await post(`/twilio/voice/recorded?delivery=${deliveryId}`, params);
    const rows = (
      await stack.db.query("SELECT transcript, recording_url FROM sightings WHERE alert_id = $1", [alertId])
    ).rows;
    assert.deepEqual(rows, [{ transcript: "ehm", recording_url: "https://api.twilio.com/rec/RE1" }]);
  });

  test("a retried SMS gets the same answer and is handled once", async () => {
    const { phone, alertId, participantId } = await setup();
    await seedDelivery(stack.db, { alertId, participantId, phone, channel: "sms" });
    const tip = { From: phone, To: BURGERNET, Body: "Rode jas bij het station", MessageSid: sid("SM", 0x5100 + n) };
    const a = await post("/twilio/sms/inbound", tip);
    const b = await post("/twilio/sms/inbound", tip);
    assert.equal(b.body, a.body);
    assert.equal(await count("SELECT count(*) AS n FROM sightings WHERE alert_id = $1", [alertId]), 1);
    const stop = { From: phone, To: BURGERNET, Body: "STOP", MessageSid: sid("SM", 0x5200 + n) };
    const s1 = await post("/twilio/sms/inbound", stop);
    const s2 = await post("/twilio/sms/inbound", stop);
    assert.match(s1.body, /u bent afgemeld/);
    assert.equal(s2.body, s1.body);
  });

  test("call.connected is published once per call, from the whisper or the dial action, however often they come", async () => {
    const { alertId, deliveryId, callSid } = await setup();
    const whisper = `/twilio/voice/whisper?delivery=${deliveryId}&parent=${callSid}`;
    // The meldkamer's leg: a call of its own, whose parent is the citizen's call.
    const child = { CallSid: sid("CA", 0xc000 + n), ParentCallSid: callSid, From: BURGERNET, To: MELDKAMER };
    const w = await post(whisper, child);
    // The meldkamer hears which alert (kind, short id) and how far from it the caller is, before the citizen speaks.
    const ref = alertId.slice(0, 6).toUpperCase().split("").join(" ");
    assert.match(
      w.body,
      new RegExp(
        `<Say voice="Polly.Laura-Neural" language="nl-NL">Burgernet-melder over een verdachte, oproep ${ref}, ` +
          "afstand 100 meter, uit de regio Amsterdam\\.</Say>",
      ),
    );
    await post(whisper, child);
    const dialed = await post(`/twilio/voice/dialed?delivery=${deliveryId}`, {
      CallSid: callSid,
      DialCallStatus: "completed",
      DialCallDuration: "42",
    });
    assert.match(dialed.body, /Dank u wel voor uw hulp/);
    assert.equal(
      await count("SELECT count(*) AS n FROM events WHERE type = 'call.connected' AND alert_id = $1", [alertId]),
      1,
    );
  });
});

describe("the TwiML", () => {
  test("the menu is one Gather for keys and speech, in Dutch, falling through to the same action", async () => {
    const { deliveryId, callSid } = await setup();
    const res = await post(`/twilio/voice/alert?delivery=${deliveryId}`, { CallSid: callSid });
    assert.equal(res.headers["content-type"], "text/xml; charset=utf-8");
    const action = `${PUBLIC_URL}/twilio/voice/menu?delivery=${deliveryId}&amp;try=1`;
    assert.match(
      res.body,
      new RegExp(
        '<Response><Gather input="dtmf speech" numDigits="1" timeout="6" speechTimeout="2" language="nl-NL" ' +
          `speechModel="googlev2_telephony" hints="meldkamer, [^"]+" action="${action.replace(/[?.]/g, "\\$&")}" ` +
          'method="POST">',
      ),
    );
    assert.ok(res.body.endsWith(`</Gather><Redirect method="POST">${action}</Redirect></Response>`));
    // Intro and alert text inside the Gather: a key pressed while they play is taken at once (barge-in).
    assert.match(
      res.body,
      /<Gather [^>]+><Say voice="Polly.Laura-Neural" language="nl-NL">Hier volgt een oproep van Burgernet, namens de politie.<\/Say><Pause length="1"\/><Say voice="Polly.Laura-Neural" language="nl-NL">Gezocht: een man met een rode jas.<\/Say>/,
    );
  });

  test("key 1 dials the region's meldkamer with the citizen's number as caller ID and a whisper to the meldkamer", async () => {
    const { deliveryId, callSid, phone } = await setup();
    const res = await post(`/twilio/voice/menu?delivery=${deliveryId}&try=1`, { CallSid: callSid, Digits: "1" });
    const dialed = `${PUBLIC_URL}/twilio/voice/dialed?delivery=${deliveryId}`;
    const whisper = `${PUBLIC_URL}/twilio/voice/whisper?delivery=${deliveryId}&amp;parent=${callSid}`;
    assert.match(
      res.body,
      new RegExp(
        `<Dial callerId="\\${phone}" timeout="30" action="${dialed.replace(/[?.]/g, "\\$&")}" method="POST">` +
          `<Number url="${whisper.replace(/[?.]/g, "\\$&")}" method="POST">\\${MELDKAMER}</Number></Dial>`,
      ),
    );
    await stack.db.query("UPDATE regions SET meldkamer_number = '+31201234567' WHERE code = 'RE05'");
    try {
      const own = await post(`/twilio/voice/menu?delivery=${deliveryId}&try=1`, { CallSid: callSid, Digits: "1" });
      assert.match(own.body, /<Number [^>]+>\+31201234567<\/Number>/);
    } finally {
      await stack.db.query("UPDATE regions SET meldkamer_number = NULL WHERE code = 'RE05'");
    }
  });

  test("a caller with a withheld number is put through with our own caller ID", async () => {
    const res = await post("/twilio/voice/menu?general=1&try=1", {
      CallSid: sid("CA", 0xa000),
      From: "anonymous",
      Digits: "1",
    });
    assert.match(res.body, /<Dial callerId="\+3197010000000" /);
  });

  test("the voicemail URL (for messages too long to pass inline) gives the message for the machine", async () => {
    const { deliveryId, callSid } = await setup();
    const res = await post(`/twilio/voice/voicemail?delivery=${deliveryId}`, { CallSid: callSid });
    assert.match(
      res.body,
      /<Say [^>]+>Dit is Burgernet, namens de politie, met een oproep voor mensen bij u in de buurt\. Bel ons terug op 0 9 7 0, 1 0 0, 0 0 0 0 0 om de oproep te beluisteren\. Dank u wel\.<\/Say><Hangup\/><\/Response>$/,
    );
  });

  test("a request about a delivery that does not exist is refused: it cannot carry that delivery's SID", async () => {
    const res = await post("/twilio/voice/alert?delivery=999999", { CallSid: sid("CA", 0x999999) });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, "BN_TWILIO_SIGNATURE");
  });
});
