import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Stack } from "../helpers/stack.js";
import { dam, mobile, seedParticipants } from "../helpers/participants.js";
import { callAlert, heard, seedAlert, seedDelivery, startIvrStack } from "./helpers.js";

// The alert call's TwiML is rendered once per alert version and reused (issue 16): what each call hears and where
// its keys lead must still be its own, and a changed alert must be heard as changed at once.
let stack: Stack;
let n = 0;
before(async () => {
  stack = await startIvrStack();
});
after(() => stack.close());

async function participantOf(alertId: string) {
  const phone = mobile(900 + n++);
  const [participantId] = await seedParticipants(stack.db, [{ phone, lat: dam.lat + 0.01, lon: dam.lon }]);
  return { phone, participantId, deliveryId: await seedDelivery(stack.db, { alertId, participantId, phone }) };
}
const statusOf = async (participantId: string) =>
  (await stack.db.query("SELECT status FROM participants WHERE id = $1", [participantId])).rows[0].status;

test("calls of one alert share the script, but each one's keys act on its own delivery", async () => {
  const alertId = await seedAlert(stack.db, { nl: "Gezocht: een blauwe bestelbus." });
  const first = await participantOf(alertId);
  const second = await participantOf(alertId);
  const heardFirst = await callAlert(stack, first.deliveryId, first.phone, {
    answer: "human",
    script: [{ hangup: true }],
  });
  // The second call gets the cached script: key 9 and 1 must unsubscribe the second citizen, not the first.
  const heardSecond = await callAlert(stack, second.deliveryId, second.phone, {
    answer: "human",
    script: [{ digits: "9" }, { digits: "1" }],
  });
  assert.equal(heard(heardFirst.transcript)[1], "Gezocht: een blauwe bestelbus.");
  assert.equal(heard(heardSecond.transcript)[1], "Gezocht: een blauwe bestelbus.");
  assert.match(heard(heardSecond.transcript).at(-1)!, /^U bent afgemeld\./);
  assert.equal(await statusOf(second.participantId), "unsubscribed");
  assert.equal(await statusOf(first.participantId), "active");
});

test("new texts (a CAP Update, through any instance) are heard on the very next call; a closed alert is over", async () => {
  const alertId = await seedAlert(stack.db, { nl: "Gezocht: een man met een rode jas." });
  const a = await participantOf(alertId);
  assert.equal(
    heard((await callAlert(stack, a.deliveryId, a.phone, { answer: "human" })).transcript)[1],
    "Gezocht: een man met een rode jas.",
  );
  // Straight in the database, as another instance's update would be: nothing tells this instance's cache.
  await stack.db.query(
    `UPDATE alerts SET texts = jsonb_set(texts, '{nl,voice}', '"Update: de man draagt nu een groene jas."')
      WHERE id = $1`,
    [alertId],
  );
  const b = await participantOf(alertId);
  assert.equal(
    heard((await callAlert(stack, b.deliveryId, b.phone, { answer: "human" })).transcript)[1],
    "Update: de man draagt nu een groene jas.",
  );
  await stack.db.query("UPDATE alerts SET status = 'closed', closed_at = now() WHERE id = $1", [alertId]);
  const c = await participantOf(alertId);
  const said = heard((await callAlert(stack, c.deliveryId, c.phone, { answer: "human" })).transcript);
  assert.ok(
    !said.some((line) => /groene jas/.test(line)),
    `a closed alert's text is not read out: ${said.join(" / ")}`,
  );
});
