import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eventually } from "../helpers/eventually.js";
import type { Stack } from "../helpers/stack.js";
import { dam, mobile, seedParticipants } from "../helpers/participants.js";
import { callAlert, heard, seedAlert, seedDelivery, startIvrStack } from "./helpers.js";

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
    assert.ok(transcript.some((e) => e.kind === "redirect" || e.kind === "say"));
    assert.equal(
      heard(transcript).at(-1),
      "Dit is Burgernet, namens de politie, met een oproep voor mensen bij u in de buurt. Bel ons terug op 0 9 7 0, 1 0 0, 0 0 0 0 0 om de oproep te beluisteren. Dank u wel.",
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

  test("a voicemail on a closing call gets the closing message, not the alert's", async () => {
    const { phone, deliveryId } = await setup({ status: "closed", closingMessage: "Het kind is terecht." });
    await stack.db.query("UPDATE deliveries SET purpose = 'closing' WHERE id = $1", [deliveryId]);
    const { transcript } = await callAlert(
      stack,
      deliveryId,
      phone,
      { answer: "voicemail", greetingSeconds: 2 },
      { amd: "1", path: "closing" },
    );
    // The greeting talked over the first reading; at the beep the message starts again, for the recording.
    const intro = "Hier volgt een bericht van Burgernet, namens de politie, over de oproep in Amsterdam.";
    assert.equal(heard(transcript).filter((t) => t === intro).length, 2, JSON.stringify(transcript));
    assert.deepEqual(heard(transcript).slice(-3), [intro, "Het kind is terecht.", "Dank u wel voor uw hulp."]);
    assert.ok(!heard(transcript).some((t) => t.startsWith("Dit is Burgernet")));
  });

  test("in English for an English participant; without a message, a general one", async () => {
    const { phone, deliveryId } = await setup({ status: "closed", closingMessage: null }, "en");
    const { transcript } = await callAlert(stack, deliveryId, phone, { answer: "human" }, { path: "closing" });
    assert.deepEqual(heard(transcript), [
      "The police have ended the Burgernet appeal in Amsterdam. Thank you for your help.",
    ]);
  });
});
