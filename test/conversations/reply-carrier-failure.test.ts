import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eventually } from "../helpers/eventually.js";
import { dam, mobile, seedParticipants } from "../helpers/participants.js";
import { bearer, startStack, BURGERNET, type Stack } from "../helpers/stack.js";

let s: Stack;
let alertId: string;
let deaf: string;
let url: string;

before(async () => {
  s = await startStack();
  deaf = mobile(2790);
  const [id] = await seedParticipants(s.db, [{ phone: deaf, ...dam }]);
  await s.db.query("UPDATE participants SET text_only = true WHERE id = $1", [id]);
  const res = await s.app.inject({
    method: "POST",
    url: "/v1/alerts",
    headers: bearer(s.keys.operator),
    payload: {
      kind: "missing_person",
      channels: ["voice"],
      texts: { nl: { voice: "Vermist: een oudere man.", sms: "Vermist: oudere man, rollator." } },
      area: { type: "circle", center: dam, radiusMeters: 300 },
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  alertId = res.json().id;
  await eventually(async () => s.emulator.messagesTo(deaf).length > 0);
  await s.emulator.sendSms({ from: deaf, to: BURGERNET, body: "Ik zag hem bij de bakker" });
  const list = await s.app.inject({ url: `/v1/alerts/${alertId}/conversations`, headers: bearer(s.keys.operator) });
  url = `/v1/alerts/${alertId}/conversations/${list.json()[0].id}/messages`;
});
after(() => s.close());

const reply = (text: string) =>
  s.app.inject({ method: "POST", url, headers: bearer(s.keys.operator), payload: { text } });

/** Replies the service recorded as sent, with their audit entries and events. */
async function recorded() {
  const { rows } = await s.db.query(
    `SELECT (SELECT count(*)::int FROM conversation_messages m JOIN conversations c ON c.id = m.conversation_id
              WHERE c.alert_id = $1 AND m.direction = 'out') AS messages,
            (SELECT count(*)::int FROM audit_log WHERE action = 'conversation.replied') AS audited,
            (SELECT count(*)::int FROM events WHERE type = 'conversation.message' AND alert_id = $1
              AND data->>'direction' = 'out') AS events`,
    [alertId],
  );
  return rows[0];
}

describe("an operator's reply the carrier does not take", () => {
  test("carrier down: 503 BN_CARRIER_UNAVAILABLE, nothing recorded as sent; the same reply goes once it is back", async () => {
    const before = s.emulator.messagesTo(deaf).length;
    s.emulator.failCreates({ status: 500, code: 20500, count: 1, resource: "messages" });
    const res = await reply("Welke kant liep hij op?");
    assert.equal(res.statusCode, 503, res.body);
    assert.equal(res.json().error.code, "BN_CARRIER_UNAVAILABLE");
    assert.match(res.json().error.message, /nothing was sent, try again/);
    assert.deepEqual(await recorded(), { messages: 0, audited: 0, events: 0 });
    assert.equal(s.emulator.messagesTo(deaf).length, before);

    const again = await reply("Welke kant liep hij op?");
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual(await recorded(), { messages: 1, audited: 1, events: 1 });
    assert.equal(s.emulator.messagesTo(deaf).at(-1)?.body, "Burgernet: Welke kant liep hij op?");
  });

  test("carrier refuses the number: 502 BN_CARRIER_REFUSED with its code, no number in the answer", async () => {
    s.emulator.failCreates({ status: 400, code: 21610, count: 1, resource: "messages" });
    const res = await reply("Dank u wel.");
    assert.equal(res.statusCode, 502, res.body);
    const { error } = res.json();
    assert.equal(error.code, "BN_CARRIER_REFUSED");
    assert.match(error.message, /code 21610/);
    assert.deepEqual(error.details, { carrierStatus: 400, carrierCode: 21610, kind: "number" });
    assert.ok(!res.body.includes(deaf.slice(3)), "the participant's number is not quoted");
    assert.deepEqual(await recorded(), { messages: 1, audited: 1, events: 1 }, "only the earlier reply");
  });
});
