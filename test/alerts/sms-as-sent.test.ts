import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eventually } from "../helpers/eventually.js";
import { dam, mobile, seedParticipants } from "../helpers/participants.js";
import { bearer, startStack, type Stack } from "../helpers/stack.js";

let s: Stack;
const phone = mobile(7001);

before(async () => {
  s = await startStack();
  await seedParticipants(s.db, [{ phone, ...dam, channels: ["sms"] }]);
});
after(() => s.close());

const post = (url: string, payload: object) =>
  s.app.inject({ method: "POST", url, headers: bearer(s.keys.operator), payload });

// Without the presence question (issue 25), whose sentence would count too: test/presence/presence-sms.test.ts.
const alert = (sms: string) => ({
  kind: "suspect",
  presenceCheck: false,
  channels: ["sms"],
  texts: { nl: { voice: "Gezocht: een man.", sms } },
  area: { type: "circle", center: dam, radiusMeters: 500 },
});

// 141 + "Burgernet: " (11) = 152 septets, then € can only start the second part: 459 septets in 4 parts.
const FOUR_AT_THE_BOUNDARY = `${"a".repeat(141)}€${"a".repeat(151)}€${"a".repeat(152)}`;

describe("SMS segments are counted on the body that goes out", () => {
  test("the preview counts the prefix and the escape pairs: 4 segments, refused; nothing written", async () => {
    for (const sms of ["a".repeat(449), FOUR_AT_THE_BOUNDARY]) {
      const res = await post("/v1/alerts/preview", alert(sms));
      assert.equal(res.statusCode, 400, res.body);
      const err = res.json().error;
      assert.equal(err.code, "BN_VALIDATION");
      assert.equal(err.details.segments, 4);
      assert.equal(err.details.path, "body/texts/nl/sms");
      assert.equal((await post("/v1/alerts", alert(sms))).statusCode, 400);
    }
    assert.equal((await s.db.query("SELECT count(*)::int AS n FROM alerts")).rows[0].n, 0);
  });

  test("what the preview calls 3 segments goes out as 3, prefixed once; the closing SMS is held to the same cap", async () => {
    const sms = "a".repeat(448);
    const preview = await post("/v1/alerts/preview", alert(sms));
    assert.equal(preview.statusCode, 200, preview.body);
    assert.deepEqual(preview.json().smsText.nl, { encoding: "GSM-7", characters: 459, segments: 3, totalSegments: 3 });
    const created = await post("/v1/alerts", alert(sms));
    assert.equal(created.statusCode, 201, created.body);
    const [sent] = await eventually(
      async () => s.emulator.messagesTo(phone).length > 0 && s.emulator.messagesTo(phone),
    );
    assert.equal(sent.body, `Burgernet: ${sms}`);
    assert.equal(sent.numSegments, 3, "the carrier bills what the preview showed");

    await eventually(async () => {
      const a = (
        await s.app.inject({ url: `/v1/alerts/${created.json().id}`, headers: bearer(s.keys.operator) })
      ).json();
      return a.progress.delivered === 1 || a.progress.sent === 1;
    });
    const tooLong = await post(`/v1/alerts/${created.json().id}/close`, { outcome: "found", message: "b".repeat(449) });
    assert.equal(tooLong.statusCode, 400, tooLong.body);
    assert.equal(tooLong.json().error.details.path, "body/message");
    const closed = await post(`/v1/alerts/${created.json().id}/close`, {
      outcome: "found",
      message: "Burgernet: gevonden.",
    });
    assert.equal(closed.statusCode, 200, closed.body);
    const closing = await eventually(
      async () => s.emulator.messagesTo(phone).length > 1 && s.emulator.messagesTo(phone)[1],
    );
    assert.equal(closing.body, "Burgernet: gevonden.", "a message that already names Burgernet is not prefixed twice");
  });
});
