import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Stack } from "../helpers/stack.js";
import { dam, mobile, seedParticipants } from "../helpers/participants.js";
import { callAlert, heard, seedAlert, seedDelivery, startIvrStack } from "../ivr/helpers.js";
import { smallPng } from "./images.js";

let stack: Stack;
let n = 0;
before(async () => {
  stack = await startIvrStack();
});
after(() => stack.close());

const NL = "Er is een foto bij deze oproep. U ontvangt die zo per sms, met een link.";
const EN = "There is a photo with this alert. It is on its way to you by text message, as a link.";

/** An alert with a photo; a participant called, with or without an SMS of the same alert. */
async function called(opts: { sms: boolean; language?: "nl" | "en"; photo?: boolean }) {
  const phone = mobile(2700 + n++);
  const [participantId] = await seedParticipants(stack.db, [{ phone, ...dam, language: opts.language }]);
  const alertId = await seedAlert(stack.db, { nl: "Gezocht: een man met een rode jas.", en: "Wanted: a man." });
  if (opts.photo ?? true)
    await stack.db.query(
      `INSERT INTO alert_photos (alert_id, image, content_type, width, height) VALUES ($1, $2, 'image/jpeg', 40, 30)`,
      [alertId, await smallPng()],
    );
  const language = opts.language ?? "nl";
  const deliveryId = await seedDelivery(stack.db, { alertId, participantId, phone, language });
  if (opts.sms) await seedDelivery(stack.db, { alertId, participantId, phone, language, channel: "sms" });
  return heard((await callAlert(stack, deliveryId, phone, { answer: "human" })).transcript);
}

describe("the alert call says the photo comes by SMS", () => {
  test("to a participant who also gets the alert by SMS, after the alert text, in their language", async () => {
    const nl = await called({ sms: true });
    assert.equal(nl[1], `Gezocht: een man met een rode jas. ${NL}`);
    const en = await called({ sms: true, language: "en" });
    assert.equal(en[1], `Wanted: a man. ${EN}`);
  });

  test("not to one called only, nor when the alert has no photo", async () => {
    const voiceOnly = await called({ sms: false });
    assert.equal(voiceOnly[1], "Gezocht: een man met een rode jas.");
    const noPhoto = await called({ sms: true, photo: false });
    assert.equal(noPhoto[1], "Gezocht: een man met een rode jas.");
  });
});
