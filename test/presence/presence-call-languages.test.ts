import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Stack } from "../helpers/stack.js";
import { dam, mobile, seedParticipants } from "../helpers/participants.js";
import { callAlert, heard, seedAlert, seedDelivery, startIvrStack } from "../ivr/helpers.js";

let stack: Stack;
before(async () => {
  stack = await startIvrStack();
});
after(() => stack.close());

async function call(language: "pl" | "tr" | "uk", text: string, digits: string) {
  const phone = mobile(4800 + ["pl", "tr", "uk"].indexOf(language));
  const [participantId] = await seedParticipants(stack.db, [{ phone, ...dam, language }]);
  const alertId = await seedAlert(stack.db, { texts: { [language]: text } });
  await stack.db.query("UPDATE alerts SET presence_check = true WHERE id = $1", [alertId]);
  const deliveryId = await seedDelivery(stack.db, { alertId, participantId, phone, language });
  const { transcript } = await callAlert(stack, deliveryId, phone, { answer: "human", script: [{ digits }] });
  const presence = (await stack.db.query("SELECT presence FROM deliveries WHERE id = $1", [deliveryId])).rows[0];
  return { said: heard(transcript), presence: presence.presence as string };
}

describe("are you nearby now? in the call, in the participant's language", () => {
  test("a Polish participant is asked in Polish; 1 plays the Polish alert and counts near", async () => {
    const text = "Poszukiwany: mężczyzna w czerwonej kurtce.";
    const { said, presence } = await call("pl", text, "1");
    assert.deepEqual(said.slice(0, 4), [
      "Oto komunikat Burgernet w imieniu policji niderlandzkiej.",
      "Czy jesteś teraz w pobliżu miejscowości Amsterdam?",
      "Naciśnij 1, jeśli tak,",
      "2, jeśli nie.",
    ]);
    assert.ok(said.includes(text), said.join("\n"));
    assert.equal(presence, "near");
  });

  test("a Turkish participant who presses 2 is thanked in Turkish, without the alert; counted away", async () => {
    const text = "Aranıyor: kırmızı ceketli bir adam.";
    const { said, presence } = await call("tr", text, "2");
    assert.equal(said[1], "Şu anda Amsterdam yakınında mısınız?");
    assert.ok(!said.includes(text));
    assert.match(said.at(-1)!, /^Teşekkür ederiz\./);
    assert.equal(presence, "away");
  });

  test("a Ukrainian participant is asked in Ukrainian", async () => {
    const { said } = await call("uk", "Розшукується чоловік у червоній куртці.", "1");
    assert.equal(said[1], "Ви зараз поблизу населеного пункту Amsterdam?");
  });
});
