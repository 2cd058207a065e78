import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { bearer, startStack, type Stack } from "../helpers/stack.js";
import { eventually } from "../helpers/eventually.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";

let s: Stack;
const texts = { nl: { voice: "Let op een blauwe bestelbus.", sms: "Blauwe bestelbus gezien? Bel 112." } };
const update = {
  nl: { voice: "De bestelbus heeft nu een gele streep.", sms: "Update: de bus heeft een gele streep." },
};
const circle = { type: "circle", center: dam, radiusMeters: 1000 };
// Two who take SMS on a mobile, one on a fixed line (voice only), one outside the area.
const smsPeople = [mobile(71_001), mobile(71_002)];
const fixedLine = "+31201234567";
const outside = mobile(71_009);

before(async () => {
  s = await startStack();
  await seedParticipants(s.db, [
    { phone: smsPeople[0], ...offset(dam, 100) },
    { phone: smsPeople[1], ...offset(dam, 200) },
    { phone: fixedLine, ...offset(dam, 300), channels: ["voice"] },
    { phone: outside, ...offset(dam, 5000) },
  ]);
});
after(() => s.close());

const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
  s.app.inject({ method: "POST", url, headers: { ...bearer(s.keys.operator), ...headers }, payload });

/** An alert whose messages have all got through: 3 reached by voice and SMS, the 2 on a mobile by SMS only. */
async function reachedAlert(channels: string[]) {
  const expected = channels.includes("voice") ? 3 : 2;
  const res = await post("/v1/alerts", { kind: "vehicle", channels, area: circle, texts });
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().id as string;
  await eventually(
    async () => {
      const a = (await s.app.inject({ url: `/v1/alerts/${id}`, headers: bearer(s.keys.operator) })).json();
      return a.summary.reached === expected && a.summary.queued === 0 && a.summary.atCarrier === 0;
    },
    { what: "everyone reached" },
  );
  return id;
}

const updateSmsTo = (phone: string) => s.emulator.messagesTo(phone).filter((m) => m.body.includes("gele streep"));
const updateDeliveries = async (id: string) =>
  (
    await s.db.query(
      "SELECT phone, channel, status, update_seq FROM deliveries WHERE alert_id = $1 AND purpose = 'update'",
      [id],
    )
  ).rows;

describe("a follow-up to those already reached", () => {
  test("each one reached gets the update once: SMS on a mobile, a short call on a fixed line", async () => {
    const id = await reachedAlert(["voice", "sms"]);
    const callsBefore = s.emulator.callsTo(fixedLine).length;
    const res = await post(
      `/v1/alerts/${id}/updates`,
      { texts: update, notify: "reached" },
      { "idempotency-key": "u1" },
    );
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().seq, 1);
    assert.equal(res.json().notified, 3);

    for (const phone of smsPeople)
      await s.emulator.waitFor(() => updateSmsTo(phone).length === 1, { timeoutMs: 20_000 });
    const call = await s.emulator.waitFor(() => s.emulator.callsTo(fixedLine)[callsBefore], { timeoutMs: 20_000 });
    await s.emulator.callEnded(call.sid);
    const said = s.emulator
      .transcript(call.sid)
      .flatMap((e) => (e.kind === "say" ? [e.text] : []))
      .join(" ");
    assert.match(said, /gele streep/, "the update's voice text is read out");
    assert.doesNotMatch(said, /Let op een blauwe bestelbus/, "not the whole alert again");
    assert.equal(s.emulator.messagesTo(outside).length, 0);
    assert.equal(s.emulator.callsTo(outside).length, 0);
    // The new texts are the alert's texts from now on: for everyone not yet reached.
    const a = (await s.app.inject({ url: `/v1/alerts/${id}`, headers: bearer(s.keys.operator) })).json();
    assert.deepEqual(a.texts, update);

    // The same request again: the same update, nothing sent twice.
    const again = await post(
      `/v1/alerts/${id}/updates`,
      { texts: update, notify: "reached" },
      { "idempotency-key": "u1" },
    );
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().seq, 1);
    const reused = await post(`/v1/alerts/${id}/updates`, { texts, notify: "none" }, { "idempotency-key": "u1" });
    assert.equal(reused.statusCode, 409);
    assert.equal(reused.json().error.code, "BN_CONFLICT");
    assert.equal((await updateDeliveries(id)).length, 3, "one update message per participant");
    for (const phone of smsPeople) assert.equal(updateSmsTo(phone).length, 1);
    assert.equal(s.emulator.callsTo(fixedLine).length, callsBefore + 1);

    const events = (
      await s.db.query("SELECT data FROM events WHERE alert_id = $1 AND type = 'alert.updated'", [id])
    ).rows.map((r) => r.data);
    assert.deepEqual(events, [{ alertId: id, seq: 1, notify: "reached", notified: 3 }]);
    // The update messages count as reached once the carrier's callbacks say so, a moment after they arrive.
    const report = await eventually(
      async () => {
        const r = (await s.app.inject({ url: `/v1/alerts/${id}/report`, headers: bearer(s.keys.operator) })).json();
        return r.followUps.reached === 3 && r;
      },
      { what: "the three update messages reached" },
    );
    assert.deepEqual(report.followUps, { updates: 1, notified: 3, reached: 3 });
    assert.equal(report.targeted, 3, "the alert's own figures leave update messages out");
  });

  test("a second update reaches each one again, once more; notify none changes only the texts", async () => {
    const id = await reachedAlert(["sms"]);
    const second = { nl: { voice: "Tweede update.", sms: "Tweede update: de bus staat bij het station." } };
    assert.equal((await post(`/v1/alerts/${id}/updates`, { texts: update, notify: "reached" })).json().seq, 1);
    const res = await post(`/v1/alerts/${id}/updates`, { texts: second, notify: "reached" });
    assert.equal(res.json().seq, 2);
    for (const phone of smsPeople)
      await s.emulator.waitFor(() => s.emulator.messagesTo(phone).some((m) => m.body.includes("Tweede update")));
    const quiet = await post(`/v1/alerts/${id}/updates`, { texts, notify: "none" });
    assert.equal(quiet.statusCode, 200);
    assert.equal(quiet.json().notified, 0);
    const rows = await updateDeliveries(id);
    assert.equal(rows.filter((r) => r.update_seq === 1).length, 2);
    assert.equal(rows.filter((r) => r.update_seq === 2).length, 2);
    assert.equal(rows.filter((r) => r.update_seq === 3).length, 0);
  });

  test("an update to a cancelled or closed alert is refused and writes nothing", async () => {
    const cancelled = await reachedAlert(["sms"]);
    assert.equal((await post(`/v1/alerts/${cancelled}/cancel`, {})).statusCode, 200);
    const closed = await reachedAlert(["sms"]);
    assert.equal(
      (await post(`/v1/alerts/${closed}/close`, { outcome: "found", message: "Gevonden." })).statusCode,
      200,
    );
    for (const id of [cancelled, closed]) {
      const res = await post(`/v1/alerts/${id}/updates`, { texts: update, notify: "reached" });
      assert.equal(res.statusCode, 409, res.body);
      assert.equal(res.json().error.code, "BN_CONFLICT");
      assert.equal((await updateDeliveries(id)).length, 0);
      const n = (await s.db.query("SELECT count(*)::int AS n FROM alert_updates WHERE alert_id = $1", [id])).rows[0].n;
      assert.equal(n, 0);
      const a = (await s.app.inject({ url: `/v1/alerts/${id}`, headers: bearer(s.keys.operator) })).json();
      assert.deepEqual(a.texts, texts, "the texts stay");
    }
    const other = await s.app.inject({
      method: "POST",
      url: `/v1/alerts/${closed}/updates`,
      headers: bearer(s.keys.otherRegion),
      payload: { texts: update, notify: "reached" },
    });
    assert.equal(other.statusCode, 404, "another unit's alert does not exist for this key");
    const tooLong = await post(`/v1/alerts/${closed}/updates`, {
      texts: { nl: { voice: "x", sms: "ő".repeat(300) } },
      notify: "reached",
    });
    assert.equal(tooLong.statusCode, 400);
    assert.equal(tooLong.json().error.code, "BN_VALIDATION");
  });
});
