import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CONVERSATION_LIMITS } from "../../src/conversations/limits.js";
import { eventually } from "../helpers/eventually.js";
import { dam, mobile, seedParticipants } from "../helpers/participants.js";
import { bearer, startStack, BURGERNET, type Stack } from "../helpers/stack.js";

let s: Stack;
let n = 0;

before(async () => {
  s = await startStack();
});
after(() => s.close());

const api = (method: "GET" | "POST" | "PATCH", url: string, payload?: object, key = s.keys.operator) =>
  s.app.inject({ method, url, headers: bearer(key), ...(payload ? { payload } : {}) });

/** A text-only participant and a hearing neighbour, and a voice-only alert around them. */
async function voiceOnlyAlert() {
  const center = { lat: dam.lat + (n % 4) * 0.006, lon: dam.lon + Math.floor(n / 4) * 0.009 };
  const deaf = mobile(2700 + 2 * n);
  const hearing = mobile(2701 + 2 * n++);
  const [deafId] = await seedParticipants(s.db, [
    { phone: deaf, ...center },
    { phone: hearing, ...center },
  ]);
  await s.db.query("UPDATE participants SET text_only = true WHERE id = $1", [deafId]);
  const res = await api("POST", "/v1/alerts", {
    kind: "missing_person",
    priority: "urgent",
    channels: ["voice"],
    texts: { nl: { voice: "Vermist: een oudere man met een rollator.", sms: "Vermist: oudere man, rollator." } },
    area: { type: "circle", center, radiusMeters: 300 },
  });
  assert.equal(res.statusCode, 201, res.body);
  const alertId: string = res.json().id;
  await eventually(async () => s.emulator.messagesTo(deaf).length > 0);
  return { alertId, deaf, deafId, hearing };
}

async function sms(from: string, body: string) {
  const result = await s.emulator.sendSms({ from, to: BURGERNET, body });
  assert.equal(result.status, 200);
  return result.replies.map((r) => r.body);
}

const conversationsOf = async (alertId: string, key = s.keys.operator) =>
  api("GET", `/v1/alerts/${alertId}/conversations`, undefined, key);

describe("text only: never called", () => {
  test("a text-only participant gets the SMS of a voice-only alert, and no call; the neighbour is called", async () => {
    const { alertId, deaf, hearing } = await voiceOnlyAlert();
    assert.equal(s.emulator.messagesTo(deaf)[0].body, "Burgernet: Vermist: oudere man, rollator.");
    assert.equal(s.emulator.callsTo(deaf).length, 0);
    await eventually(async () => s.emulator.callsTo(hearing).length > 0);
    const channels = await s.db.query("SELECT phone, channel FROM deliveries WHERE alert_id = $1 ORDER BY phone", [
      alertId,
    ]);
    assert.deepEqual(
      channels.rows.map((r) => r.channel),
      [deaf, hearing].sort().map((p) => (p === deaf ? "sms" : "voice")),
    );
  });

  test("registration and PATCH take textOnly, and refuse it without the SMS channel", async () => {
    const reg = (payload: object) => api("POST", "/v1/participants", payload, s.keys.registration);
    const base = { phone: "0612340777", locations: [{ kind: "home", postcode: "1012" }] };
    const refused = await reg({ ...base, channels: ["voice"], textOnly: true });
    assert.equal(refused.statusCode, 400, refused.body);
    assert.equal(refused.json().error.code, "BN_VALIDATION");
    const ok = await reg({ ...base, channels: ["sms", "voice"], textOnly: true });
    assert.equal(ok.statusCode, 202, ok.body);
    const id = ok.json().id;
    const read = await api("GET", `/v1/participants/${id}`, undefined, s.keys.registration);
    assert.equal(read.json().textOnly, true);
    const noSms = await api("PATCH", `/v1/participants/${id}`, { channels: ["voice"] }, s.keys.registration);
    assert.equal(noSms.statusCode, 400, "dropping SMS would leave a text-only participant unreachable");
    const off = await api("PATCH", `/v1/participants/${id}`, { textOnly: false }, s.keys.registration);
    assert.equal(off.statusCode, 200, off.body);
    assert.equal(off.json().textOnly, false);
  });
});

describe("the text line during a live alert", () => {
  test("a reply opens a conversation the operator reads (masked) and answers by SMS within seconds", async () => {
    const { alertId, deaf, deafId } = await voiceOnlyAlert();
    assert.deepEqual(await sms(deaf, "Ik zag hem bij de bakker. Bel 06-12345678"), [
      "Burgernet: uw bericht is bij de meldkamer. Een medewerker antwoordt u hier per sms. Spoed: 112.",
    ]);
    assert.deepEqual(await sms(deaf, "Hij loopt richting het park"), [], "the rest is for the operator to answer");
    const list = await conversationsOf(alertId);
    assert.equal(list.statusCode, 200, list.body);
    const [c] = list.json();
    assert.equal(c.participantId, deafId);
    assert.equal(c.open, true);
    assert.match(c.phone, /•/);
    assert.deepEqual(
      c.messages.map((m: { direction: string; text: string }) => [m.direction, m.text]),
      [
        ["in", "Ik zag hem bij de bakker. Bel +316•••••678"],
        ["in", "Hij loopt richting het park"],
      ],
    );
    const tips = await s.db.query("SELECT count(*)::int AS n FROM sightings WHERE alert_id = $1", [alertId]);
    assert.equal(tips.rows[0].n, 0, "a conversation, not a tip");

    const before = s.emulator.messagesTo(deaf).length;
    const sent = await api("POST", `/v1/alerts/${alertId}/conversations/${c.id}/messages`, {
      text: "Dank u. Welke kant liep hij op?",
    });
    assert.equal(sent.statusCode, 200, sent.body);
    assert.equal(sent.json().direction, "out");
    const delivered = await eventually(async () => s.emulator.messagesTo(deaf)[before]);
    assert.equal(delivered.body, "Burgernet: Dank u. Welke kant liep hij op?");

    const events = await s.db.query(
      "SELECT data, region_code FROM events WHERE type = 'conversation.message' AND alert_id = $1 ORDER BY seq",
      [alertId],
    );
    // The live feed and webhooks send an event to its unit only: the alert's.
    assert.ok(events.rows.every((r) => r.region_code === "RE05"));
    assert.deepEqual(
      events.rows.map((r) => r.data.direction),
      ["in", "in", "out"],
    );
    assert.ok(!JSON.stringify(events.rows).includes("12345678"), "numbers masked in the feed and webhooks");
    const audited = await s.db.query(
      "SELECT action FROM audit_log WHERE action LIKE 'conversation.%' AND (subject_id = $1 OR subject_id = $2)",
      [alertId, c.id],
    );
    assert.deepEqual(audited.rows.map((r) => r.action).sort(), ["conversation.read", "conversation.replied"]);
  });

  test("a dispatch system can subscribe to conversation.message", async () => {
    const res = await api("POST", "/v1/webhooks", {
      url: "https://meldkamer.example.nl/burgernet/text-line",
      eventTypes: ["conversation.message"],
    });
    assert.equal(res.statusCode, 201, res.body);
  });

  test("another unit's key sees nothing: 404 on the list and on a reply", async () => {
    const { alertId, deaf } = await voiceOnlyAlert();
    await sms(deaf, "Gezien bij het station");
    const [c] = (await conversationsOf(alertId)).json();
    assert.equal((await conversationsOf(alertId, s.keys.otherRegion)).statusCode, 404);
    const other = await api(
      "POST",
      `/v1/alerts/${alertId}/conversations/${c.id}/messages`,
      { text: "x" },
      s.keys.otherRegion,
    );
    assert.equal(other.statusCode, 404);
  });

  test(`at most ${CONVERSATION_LIMITS.outbound.messages} replies a minute: the next is 429, not sent`, async () => {
    const { alertId, deaf } = await voiceOnlyAlert();
    await sms(deaf, "Hallo?");
    const [c] = (await conversationsOf(alertId)).json();
    const url = `/v1/alerts/${alertId}/conversations/${c.id}/messages`;
    for (let i = 0; i < CONVERSATION_LIMITS.outbound.messages; i++)
      assert.equal((await api("POST", url, { text: `Bericht ${i}` })).statusCode, 200);
    const sentBefore = s.emulator.messagesTo(deaf).length;
    const limited = await api("POST", url, { text: "Nog een" });
    assert.equal(limited.statusCode, 429, limited.body);
    assert.equal(limited.json().error.code, "BN_RATE_LIMITED");
    assert.equal(s.emulator.messagesTo(deaf).length, sentBefore);
  });

  test(`a citizen's messages beyond ${CONVERSATION_LIMITS.inbound.messages} in the window are ignored`, async () => {
    const { alertId, deaf } = await voiceOnlyAlert();
    for (let i = 0; i <= CONVERSATION_LIMITS.inbound.messages; i++) await sms(deaf, `Bericht ${i}`);
    const [c] = (await conversationsOf(alertId)).json();
    assert.equal(c.messages.length, CONVERSATION_LIMITS.inbound.messages);
  });

  test("the conversation ends with the alert: a reply is 409, and a later SMS is a tip again", async () => {
    const { alertId, deaf } = await voiceOnlyAlert();
    await sms(deaf, "Ik zie hem!");
    const [c] = (await conversationsOf(alertId)).json();
    assert.equal((await api("POST", `/v1/alerts/${alertId}/cancel`, {})).statusCode, 200);
    const late = await api("POST", `/v1/alerts/${alertId}/conversations/${c.id}/messages`, { text: "Waar?" });
    assert.equal(late.statusCode, 409, late.body);
    assert.equal((await conversationsOf(alertId)).json()[0].open, false);
    assert.match((await sms(deaf, "Nog iets gezien"))[0], /uw tip is doorgegeven/);
    assert.deepEqual(await sms(deaf, "STOP"), [
      "Burgernet: u bent afgemeld en krijgt geen oproepen meer. Weer aanmelden? Stuur START.",
    ]);
  });

  test("erasure takes the citizen's number out of what they wrote on the text line", async () => {
    const { alertId, deaf } = await voiceOnlyAlert();
    const national = `0${deaf.slice(3)}`;
    await sms(deaf, `Bel mij terug op ${national}`);
    await sms(deaf, "WIS");
    const { rows } = await s.db.query(
      `SELECT m.body FROM conversation_messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE c.alert_id = $1`,
      [alertId],
    );
    assert.equal(rows.length, 1);
    assert.ok(rows[0].body.startsWith("Bel mij terug op "));
    assert.ok(!rows[0].body.includes(national.slice(1)), rows[0].body);
  });

  test("bad input is a 4xx in the one error shape, nothing sent", async () => {
    const { alertId } = await voiceOnlyAlert();
    const bad = await api("POST", `/v1/alerts/${alertId}/conversations/not-a-uuid/messages`, { text: "x" });
    assert.equal(bad.statusCode, 400);
    const unknown = await api(
      "POST",
      `/v1/alerts/${alertId}/conversations/00000000-0000-4000-8000-000000000000/messages`,
      { text: "x" },
    );
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, "BN_NOT_FOUND");
  });
});
