import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { respondersOf } from "../../src/deliveries/presence.js";
import { bearer, type Stack } from "../helpers/stack.js";
import { dam, mobile, seedParticipants } from "../helpers/participants.js";
import { BURGERNET, callAlert, heard, heardText, seedAlert, seedDelivery, startIvrStack } from "../ivr/helpers.js";

let stack: Stack;
let n = 0;
const ALERT_TEXT = "Gezocht: een man met een rode jas en een zwarte fiets.";

before(async () => {
  stack = await startIvrStack();
});
after(() => stack.close());

/** A participant with an alert call of a fresh alert near the Dam; the alert asks "are you nearby now?". */
async function setup(opts: { language?: "nl" | "en"; presenceCheck?: boolean } = {}) {
  const phone = mobile(2500 + n++);
  const [participantId] = await seedParticipants(stack.db, [{ phone, ...dam, language: opts.language }]);
  const alertId = await seedAlert(stack.db, {
    nl: ALERT_TEXT,
    en: opts.language === "en" ? "Wanted: a man." : undefined,
  });
  await stack.db.query("UPDATE alerts SET presence_check = $2 WHERE id = $1", [alertId, opts.presenceCheck ?? true]);
  const deliveryId = await seedDelivery(stack.db, { alertId, participantId, phone, language: opts.language });
  return { phone, alertId, deliveryId };
}

const presenceOf = async (deliveryId: number) =>
  (await stack.db.query("SELECT presence FROM deliveries WHERE id = $1", [deliveryId])).rows[0].presence;

const getAlert = async (id: string) =>
  (await stack.app.inject({ url: `/v1/alerts/${id}`, headers: bearer(stack.keys.operator) })).json();

describe("are you nearby now? (the alert call)", () => {
  test("the call opens with the question about the alert's place; key 1 plays the alert and counts near", async () => {
    const { phone, alertId, deliveryId } = await setup();
    const { transcript } = await callAlert(stack, deliveryId, phone, { answer: "human", script: [{ digits: "1" }] });
    const said = heard(transcript);
    assert.deepEqual(said.slice(0, 4), [
      "Hier volgt een oproep van Burgernet, namens de politie.",
      "Bent u nu in de buurt van Amsterdam?",
      "Druk 1 voor ja,",
      "2 voor nee.",
    ]);
    assert.equal(said[4], ALERT_TEXT, "yes: the alert follows at once");
    assert.ok(said.includes("Druk 3 om het bericht nog eens te horen."), "and its menu");
    assert.equal(await presenceOf(deliveryId), "near");
    const alert = await getAlert(alertId);
    assert.equal(alert.presenceCheck, true);
    assert.deepEqual(alert.presence, { near: 1, away: 0, unknown: 0 });
    assert.equal(await respondersOf(stack.db, alertId), 1);
  });

  test("key 2 thanks the citizen and ends the call without the alert; counted away, not a responder", async () => {
    const { phone, alertId, deliveryId } = await setup();
    const { transcript } = await callAlert(stack, deliveryId, phone, { answer: "human", script: [{ digits: "2" }] });
    assert.ok(!heardText(transcript).includes(ALERT_TEXT));
    assert.equal(
      heard(transcript).at(-1),
      "Dank u wel. Dan houden we u niet langer aan de lijn over deze oproep. Tot ziens.",
    );
    assert.equal(transcript.at(-1)?.kind, "hangup");
    assert.equal(await presenceOf(deliveryId), "away");
    assert.deepEqual((await getAlert(alertId)).presence, { near: 0, away: 1, unknown: 0 });
    assert.equal(await respondersOf(stack.db, alertId), 0);
    // Away, yet a tip by SMS after all: a responder (as escalation counts tips).
    await stack.emulator.sendSms({ from: phone, to: BURGERNET, body: "Ik zag hem toch, bij het station" });
    assert.equal(await respondersOf(stack.db, alertId), 1);
  });

  test("no key: the alert plays all the same (nobody lost to silence), counted unknown", async () => {
    const { phone, alertId, deliveryId } = await setup();
    const { transcript } = await callAlert(stack, deliveryId, phone, { answer: "human" });
    assert.ok(heard(transcript).includes(ALERT_TEXT));
    assert.equal(await presenceOf(deliveryId), "unknown");
    assert.deepEqual((await getAlert(alertId)).presence, { near: 0, away: 0, unknown: 1 });
  });

  test("a key pressed during the question is taken at once; a wrong key plays the alert", async () => {
    const early = await setup();
    const first = await callAlert(stack, early.deliveryId, early.phone, {
      answer: "human",
      script: [{ digits: "1", duringPrompt: 1 }],
    });
    assert.ok(first.transcript.some((e) => e.kind === "say" && e.interrupted));
    assert.equal(await presenceOf(early.deliveryId), "near");
    const wrong = await setup();
    const second = await callAlert(stack, wrong.deliveryId, wrong.phone, {
      answer: "human",
      script: [{ digits: "7" }],
    });
    assert.ok(heard(second.transcript).includes(ALERT_TEXT));
    assert.equal(await presenceOf(wrong.deliveryId), "unknown");
  });

  for (const [speech, expected] of [
    ["ja", "near"],
    ["nee ik ben niet in de buurt", "away"],
  ] as const) {
    test(`spoken "${speech}" counts ${expected}`, async () => {
      const { phone, deliveryId } = await setup();
      await callAlert(stack, deliveryId, phone, { answer: "human", script: [{ speech, confidence: 0.9 }] });
      assert.equal(await presenceOf(deliveryId), expected);
    });
  }

  test("in English for an English participant", async () => {
    const { phone, deliveryId } = await setup({ language: "en" });
    const { transcript } = await callAlert(stack, deliveryId, phone, { answer: "human", script: [{ digits: "2" }] });
    assert.equal(heard(transcript)[1], "Are you near Amsterdam right now?");
    assert.equal(await presenceOf(deliveryId), "away");
  });

  test("an alert that does not ask plays as before; its answered call is a responder", async () => {
    const { phone, alertId, deliveryId } = await setup({ presenceCheck: false });
    const { transcript } = await callAlert(stack, deliveryId, phone, { answer: "human", script: [{ digits: "3" }] });
    assert.equal(heard(transcript)[1], ALERT_TEXT);
    assert.equal(await presenceOf(deliveryId), null);
    assert.deepEqual((await getAlert(alertId)).presence, { near: 0, away: 0, unknown: 0 });
    await stack.db.query("UPDATE deliveries SET status = 'answered' WHERE id = $1", [deliveryId]);
    assert.equal(await respondersOf(stack.db, alertId), 1);
  });

  test("a retried answer changes nothing: the first answer stays", async () => {
    const { phone, deliveryId } = await setup();
    await callAlert(stack, deliveryId, phone, { answer: "human", script: [{ digits: "2" }] });
    await callAlert(stack, deliveryId, phone, { answer: "human", script: [{ digits: "1" }] });
    assert.equal(await presenceOf(deliveryId), "away");
  });
});
