import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eventually } from "../helpers/eventually.js";
import { dam, mobile, seedParticipants } from "../helpers/participants.js";
import { bearer, startStack, BURGERNET, type Stack } from "../helpers/stack.js";

let s: Stack;
let n = 0;

before(async () => {
  s = await startStack();
});
after(() => s.close());

const post = (url: string, payload: object) =>
  s.app.inject({ method: "POST", url, headers: bearer(s.keys.operator), payload });
const get = async (url: string) => (await s.app.inject({ url, headers: bearer(s.keys.operator) })).json();

/** An SMS alert of this kind around a fresh participant (each test its own square kilometre). */
async function smsAlert(kind: string, extra: object = {}, sms = "Gezocht: man in rode jas bij de Dam.") {
  const phone = mobile(2600 + n);
  const center = { lat: dam.lat + n++ * 0.008, lon: dam.lon };
  await seedParticipants(s.db, [{ phone, ...center, channels: ["sms"] }]);
  const res = await post("/v1/alerts", {
    kind,
    channels: ["sms"],
    texts: { nl: { voice: "Gezocht: een man.", sms } },
    area: { type: "circle", center, radiusMeters: 300 },
    ...extra,
  });
  return { phone, res };
}

async function reply(from: string, body: string) {
  const result = await s.emulator.sendSms({ from, to: BURGERNET, body });
  assert.equal(result.status, 200);
  return result.replies.map((r) => r.body);
}

describe("are you nearby now? (by SMS)", () => {
  test("a suspect alert asks by default: the SMS ends with the question; JA is counted near", async () => {
    const { phone, res } = await smsAlert("suspect");
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().presenceCheck, true);
    const [sent] = await eventually(
      async () => s.emulator.messagesTo(phone).length > 0 && s.emulator.messagesTo(phone),
    );
    assert.equal(sent.body, "Burgernet: Gezocht: man in rode jas bij de Dam. Antwoord JA als u in de buurt bent.");
    assert.deepEqual(await reply(phone, "Ja!"), [
      "Burgernet: dank u wel. Ziet u iets? Stuur een sms of bel 0970 100 00000. Spoed: 112.",
    ]);
    const id = res.json().id;
    assert.deepEqual((await get(`/v1/alerts/${id}`)).presence, { near: 1, away: 0, unknown: 0 });
    assert.deepEqual((await get(`/v1/alerts/${id}/report`)).presence, { near: 1, away: 0, unknown: 0 });
    const tips = await s.db.query("SELECT count(*)::int AS n FROM sightings WHERE alert_id = $1", [id]);
    assert.equal(tips.rows[0].n, 0, "the answer is not a tip");
  });

  test("NEE is counted away; alert.progress carries the counts", async () => {
    const { phone, res } = await smsAlert("vehicle");
    const id = res.json().id;
    await eventually(async () => s.emulator.messagesTo(phone).length > 0);
    assert.deepEqual(await reply(phone, "nee"), ["Burgernet: dank u wel voor uw antwoord."]);
    assert.deepEqual((await get(`/v1/alerts/${id}`)).presence, { near: 0, away: 1, unknown: 0 });
    const progress = await eventually(async () => {
      const { rows } = await s.db.query(
        "SELECT data FROM events WHERE type = 'alert.progress' AND alert_id = $1 ORDER BY seq DESC LIMIT 1",
        [id],
      );
      return rows[0]?.data.presence?.away === 1 && rows[0].data;
    });
    assert.deepEqual(progress.presence, { near: 0, away: 1, unknown: 0 });
  });

  test("a missing-child alert does not ask by default, and JA to it stays a tip", async () => {
    const { phone, res } = await smsAlert("missing_child");
    assert.equal(res.json().presenceCheck, false);
    const [sent] = await eventually(
      async () => s.emulator.messagesTo(phone).length > 0 && s.emulator.messagesTo(phone),
    );
    assert.equal(sent.body, "Burgernet: Gezocht: man in rode jas bij de Dam.");
    assert.match((await reply(phone, "JA"))[0], /uw tip is doorgegeven/);
    assert.deepEqual((await get(`/v1/alerts/${res.json().id}`)).presence, { near: 0, away: 0, unknown: 0 });
  });

  test("the question counts against the 3-segment cap: refused with it, accepted without it", async () => {
    const sms = "a".repeat(430); // 441 septets with the prefix: 3 parts; 478 with the question: 4
    const asked = await smsAlert("suspect", {}, sms);
    assert.equal(asked.res.statusCode, 400, asked.res.body);
    assert.match(asked.res.json().error.message, /with the presence question/);
    assert.equal(asked.res.json().error.details.segments, 4);
    const preview = await post("/v1/alerts/preview", {
      kind: "suspect",
      channels: ["sms"],
      presenceCheck: false,
      texts: { nl: { voice: "x", sms } },
      area: { type: "circle", center: dam, radiusMeters: 300 },
    });
    assert.equal(preview.statusCode, 200, preview.body);
    const plain = await smsAlert("suspect", { presenceCheck: false }, sms);
    assert.equal(plain.res.statusCode, 201, plain.res.body);
    assert.equal(plain.res.json().presenceCheck, false);
  });

  test("a voice-only alert is held to the cap too: text-only participants get its SMS", async () => {
    const res = await post("/v1/alerts/preview", {
      kind: "other",
      channels: ["voice"],
      texts: { nl: { voice: "x", sms: "a".repeat(449) } },
      area: { type: "circle", center: dam, radiusMeters: 300 },
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().error.details.path, "body/texts/nl/sms");
  });

  test("presenceCheck must be a boolean", async () => {
    const { res } = await smsAlert("suspect", { presenceCheck: "yes" });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, "BN_VALIDATION");
  });
});
