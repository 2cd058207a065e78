import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eventually } from "../helpers/eventually.js";
import type { Stack } from "../helpers/stack.js";
import { dam, mobile, seedParticipants } from "../helpers/participants.js";
import { submitDelivery } from "../../src/dispatch/submit.js";
import { createTwilioCarrier } from "../../src/twilio/carrier.js";
import { createTwilioClient } from "../../src/twilio/client.js";
import type { Persona } from "../../src/sim/types.js";
import { BURGERNET, callAlert, heard, seedAlert, seedDelivery, startIvrStack } from "./helpers.js";

let stack: Stack;
let n = 0;

before(async () => {
  // Slower simulated time than elsewhere: the AMD callback and our redirect take real milliseconds, which must stay
  // short against the greeting and the message they race with.
  stack = await startIvrStack({ emulator: { timeScale: 0.05 } });
});
after(async () => {
  await stack.close();
});

async function setup(alert: Parameters<typeof seedAlert>[1] = {}, language: "nl" | "en" = "nl") {
  const phone = mobile(300 + n++);
  const [participantId] = await seedParticipants(stack.db, [{ phone, lat: dam.lat, lon: dam.lon, language }]);
  const alertId = await seedAlert(stack.db, alert);
  const deliveryId = await seedDelivery(stack.db, { alertId, participantId, phone, language });
  return { phone, alertId, deliveryId };
}

const carrier = () => createTwilioClient({ ...stack.config.twilio!, apiUrl: stack.emulator.url });

async function answeredBy(deliveryId: number) {
  return (await stack.db.query("SELECT answered_by, status FROM deliveries WHERE id = $1", [deliveryId])).rows[0];
}

describe("answering machines", () => {
  test("a machine at its beep gets the short voicemail message with the callback number", async () => {
    const { phone, deliveryId } = await setup();
    const { transcript } = await callAlert(
      stack,
      deliveryId,
      phone,
      { answer: "voicemail", greetingSeconds: 6 },
      { amd: "1" },
    );
    // Left once, at the beep (the machine's verdict below), and read to the end: the box records all of it.
    const left = transcript.filter((e) => e.kind === "say" && e.text.startsWith("Dit is Burgernet"));
    assert.equal(left.length, 1, JSON.stringify(transcript));
    assert.ok(left[0].kind === "say" && !left[0].interrupted, "not cut off");
    assert.equal(
      heard(transcript).at(-1),
      "Dit is Burgernet, namens de politie, met een oproep voor mensen bij u in de buurt. " +
        "Bel ons terug op 0 9 7 0, 1 0 0, 0 0 0 0 0 om de oproep te beluisteren. Dank u wel.",
    );
    const row = await answeredBy(deliveryId);
    assert.equal(row.answered_by, "machine_end_beep");
    // The delivery's status is the dispatcher's state machine: untouched here.
    assert.equal(row.status, "in_progress");
  });

  test("a human only has answered_by recorded and hears the alert", async () => {
    const { phone, deliveryId } = await setup();
    const { transcript } = await callAlert(
      stack,
      deliveryId,
      phone,
      { answer: "human", script: [{ silence: true }, { hangup: true }] },
      { amd: "1" },
    );
    assert.equal(heard(transcript)[0], "Hier volgt een oproep van Burgernet, namens de politie.");
    assert.ok(!heard(transcript).some((t) => t.startsWith("Dit is Burgernet")));
    // The AMD callback runs beside the call, and the emulator reports no event when it is answered.
    const row = await eventually(
      async () => {
        const r = await answeredBy(deliveryId);
        return r.answered_by && r;
      },
      { what: "answered_by" },
    );
    assert.equal(row.answered_by, "human");
  });
});

describe("the closing message", () => {
  // Slower still: with an 8 s greeting the redirect has 0.6 s of the closing call left, 30 ms at 0.05, which a night
  // run on a busy machine missed; 120 ms at 0.2. (The alert calls above would outlast their waits at 0.2.)
  before(async () => {
    await stack.close();
    stack = await startIvrStack({ emulator: { timeScale: 0.2 } });
  });

  test("reads the operator's closing message in the participant's frame, then hangs up", async () => {
    const { phone, deliveryId } = await setup({ status: "closed", closingMessage: "De gezochte man is aangehouden." });
    const { transcript } = await callAlert(stack, deliveryId, phone, { answer: "human" }, { path: "closing" });
    assert.deepEqual(heard(transcript), [
      "Hier volgt een bericht van Burgernet, namens de politie, over de oproep in Amsterdam.",
      "De gezochte man is aangehouden.",
      "Dank u wel voor uw hulp.",
    ]);
    assert.equal(transcript.at(-1)?.kind, "hangup");
  });

  // These place the closing call with submitDelivery itself (src/dispatch/submit.ts), machine detection and all, as
  // the dispatcher does: whatever it asks of the carrier is what a voicemail box gets.
  async function placeClosingCall(
    greetingSeconds: number,
    persona: Persona = { answer: "voicemail", greetingSeconds },
  ) {
    const closingMessage = "Het kind is terecht.";
    const { phone, alertId, deliveryId } = await setup({ status: "closed", closingMessage });
    await stack.db.query("UPDATE deliveries SET purpose = 'closing' WHERE id = $1", [deliveryId]);
    stack.emulator.setPersona(phone, persona);
    const delivery = {
      id: deliveryId,
      alert_id: alertId,
      region_code: "RE05",
      phone,
      text: closingMessage,
      fallback: false,
    };
    const sid = await submitDelivery(createTwilioCarrier({ client: carrier(), from: BURGERNET }), stack.url, {
      ...delivery,
      channel: "voice",
      purpose: "closing",
      language: "nl",
      attempts: 1,
      status: "sending",
      end_reason: null,
    });
    await stack.emulator.callEnded(sid);
    const transcript = stack.emulator.transcript(sid);
    // What the box records: what starts after the greeting's beep (what starts before is talked over).
    const recorded = transcript.flatMap((e) => (e.kind === "say" && e.t >= greetingSeconds ? [e.text] : []));
    return { transcript, recorded, closingMessage };
  }

  test("a voicemail with a short greeting records the closing message, not the alert's", async () => {
    const { transcript, recorded, closingMessage } = await placeClosingCall(2);
    assert.deepEqual(recorded.slice(-2), [closingMessage, "Dank u wel voor uw hulp."], JSON.stringify(transcript));
    assert.ok(!heard(transcript).some((t) => t.startsWith("Dit is Burgernet")));
  });

  test("a voicemail with a usual greeting (8 s) records the closing message", async () => {
    const { transcript, recorded, closingMessage } = await placeClosingCall(8);
    assert.ok(recorded.includes(closingMessage), JSON.stringify(transcript));
  });

  test("a voicemail whose greeting outlasts the closing message (12 s) still records it after the beep", async () => {
    // The message ends at 9.6 s and the beep comes at 12 s: the call waits for the machine instead of hanging up.
    const { transcript, recorded, closingMessage } = await placeClosingCall(12);
    assert.ok(recorded.includes(closingMessage), JSON.stringify(transcript));
  });

  test("a person who heard the closing message is hung up on at once, not kept waiting", async () => {
    const { transcript } = await placeClosingCall(0, { answer: "human" });
    const thanks = transcript.find((e) => e.kind === "say" && e.text === "Dank u wel voor uw hulp.");
    const end = transcript.find((e) => e.kind === "hangup");
    assert.ok(thanks && end, JSON.stringify(transcript));
    // Hung up when the thanks ends (2.4 s of speech), without a single wait of 2 s after it.
    assert.ok(end.t - thanks.t < 2.4 + 2, JSON.stringify(transcript));
  });

  test("in English for an English participant; without a message, a general one", async () => {
    const { phone, deliveryId } = await setup({ status: "closed", closingMessage: null }, "en");
    const { transcript } = await callAlert(stack, deliveryId, phone, { answer: "human" }, { path: "closing" });
    assert.deepEqual(heard(transcript), [
      "The police have ended the Burgernet appeal in Amsterdam. Thank you for your help.",
    ]);
  });
});
