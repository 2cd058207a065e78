import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { BURGERNET, bearer, startStack, type Stack } from "../helpers/stack.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";
import { eventually } from "../helpers/eventually.js";
import { amsterdamClockAt } from "../helpers/clock.js";
import { holdQueries } from "../../src/deliveries/hold.js";
import { sendTransitions } from "../../src/deliveries/send.js";

const q = sendTransitions;

const texts = { nl: { voice: "Let op een man met een rode jas.", sms: "Let op: man, rode jas." } };

async function createAlert(s: Stack, priority: "normal" | "urgent", channels: string[], radiusMeters: number) {
  const res = await s.app.inject({
    method: "POST",
    url: "/v1/alerts",
    headers: bearer(s.keys.operator),
    payload: { kind: "suspect", priority, channels, area: { type: "circle", center: dam, radiusMeters }, texts },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id as string;
}

const deliveryOf = async (s: Stack, alertId: string, phone: string) =>
  (
    await s.db.query("SELECT * FROM deliveries WHERE alert_id = $1 AND phone = $2 AND purpose = 'alert'", [
      alertId,
      phone,
    ])
  ).rows;

describe("busy, then the citizen changes their mind before the retry: no more calls", () => {
  let s: Stack;
  let clock = amsterdamClockAt("12:00");
  const citizens = Array.from({ length: 5 }, (_, i) => ({
    phone: mobile(71_000 + i),
    ...offset(dam, 100 + i * 400),
    channels: ["voice", "sms"],
  }));
  let ids: string[] = [];
  before(async () => {
    s = await startStack({
      clock: () => clock(),
      env: { QUIET_HOURS: "23:00-07:00" },
      dispatch: { retry: { maxAttempts: 3, delaysMs: [2_000, 2_000] } },
    });
    ids = await seedParticipants(s.db, citizens);
    for (const c of citizens) s.emulator.setPersona(c.phone, { answer: "busy" });
  });
  after(() => s.close());

  const cases: [string, number, (id: string, phone: string) => Promise<void>, string][] = [
    [
      "STOP by SMS",
      0,
      async (_id, phone) => {
        await s.emulator.sendSms({ from: phone, to: BURGERNET, body: "STOP" });
      },
      "unsubscribed",
    ],
    [
      "DELETE /v1/participants/{id}",
      1,
      async (id) => {
        const res = await s.app.inject({
          method: "DELETE",
          url: `/v1/participants/${id}`,
          headers: bearer(s.keys.registration),
        });
        assert.ok(res.statusCode < 300, res.body);
      },
      "erased",
    ],
    [
      "PATCH channels to SMS only",
      2,
      async (id) => {
        const res = await s.app.inject({
          method: "PATCH",
          url: `/v1/participants/${id}`,
          headers: bearer(s.keys.registration),
          payload: { channels: ["sms"] },
        });
        assert.equal(res.statusCode, 200, res.body);
      },
      "channel_removed",
    ],
  ];

  test("STOP, erasure and a channel change each end the delivery before its retry, with the reason", async () => {
    const alertId = await createAlert(s, "urgent", ["voice"], 1000);
    // The first three citizens are within 1 km; each is busy once, then does something before the retry.
    await Promise.all(
      cases.map(async ([what, i, act, reason]) => {
        const { phone } = citizens[i];
        const id = ids[i];
        await eventually(
          async () => {
            const [d] = await deliveryOf(s, alertId, phone);
            return d?.status === "pending" && d.attempts === 1;
          },
          { what: `${what}: busy, waiting for the retry` },
        );
        await act(id, phone);
        const ended = await eventually(
          async () => {
            const rows = (
              await s.db.query(
                "SELECT status, end_reason, last_error FROM deliveries WHERE alert_id = $1 AND participant_id = " +
                  "$2 AND purpose = 'alert'",
                [alertId, id],
              )
            ).rows;
            return rows[0]?.status === "canceled" && rows[0];
          },
          { what: `${what}: ended`, timeoutMs: 30_000 },
        );
        // Erasure ends the participant's waiting deliveries itself, at once (src/participants), naming it in
        // last_error; the others end at the send-time check.
        assert.equal(ended.end_reason ?? ended.last_error, reason, what);
        assert.equal(s.emulator.callsTo(phone).length, 1, `${what}: called once (busy), never again`);
      }),
    );
  });

  test("quiet hours are decided at each send by the app's clock: the retry at night texts instead of calling", async () => {
    const phone = citizens[3].phone; // 1.3 km out: only this alert's wider circle reaches it
    const alertId = await createAlert(s, "normal", ["voice"], 1400);
    await eventually(
      async () => {
        const [d] = await deliveryOf(s, alertId, phone);
        return d?.status === "pending" && d.attempts === 1;
      },
      { what: "busy by day, waiting for the retry" },
    );
    clock = amsterdamClockAt("02:30");
    const sms = await eventually(
      async () => {
        const rows = await deliveryOf(s, alertId, phone);
        return rows.length === 1 && rows[0].channel === "sms" && rows[0].status === "delivered" && rows[0];
      },
      { what: "the call became an SMS", timeoutMs: 30_000 },
    );
    assert.equal(sms.attempts, 2, "one call (busy), one SMS");
    assert.equal(s.emulator.callsTo(phone).length, 1, "no call at night");
    assert.equal(s.emulator.messagesTo(phone).length, 1, "exactly one SMS");
  });
});

describe("the check sits at each request, not at the batch: another instance's cancel or STOP counts", () => {
  let s: Stack;
  const phones = [mobile(72_000), mobile(72_001), mobile(72_002)];
  let ids: string[];
  before(async () => {
    s = await startStack({ dispatch: { autoStart: false } });
    ids = await seedParticipants(
      s.db,
      phones.map((phone, i) => ({ phone, ...offset(dam, 100 + i * 10), channels: i === 2 ? ["voice"] : undefined })),
    );
  });
  after(() => s.close());

  test("a held batch: STOP, cancel and quiet hours decide when each request is taken", async () => {
    const alertId = await createAlert(s, "normal", ["voice"], 500);
    const held = await holdQueries.hold(s.db, "voice", "instance-a", 10, 60_000, 0);
    assert.equal(held.length, 3, "instance A holds all three");
    const byPhone = Object.fromEntries(
      (await s.db.query("SELECT id, phone FROM deliveries WHERE alert_id = $1", [alertId])).rows.map((r) => [
        r.phone,
        r.id,
      ]),
    );
    // Meanwhile the first citizen says STOP (through any instance).
    await s.db.query("UPDATE participants SET status = 'unsubscribed' WHERE id = $1", [ids[0]]);
    const stopped = (await q.take(s.db, byPhone[phones[0]], "instance-a", false, 60_000)).rows[0];
    assert.deepEqual([stopped.status, stopped.end_reason], ["canceled", "unsubscribed"]);
    // Quiet hours now: the second has SMS and no SMS delivery yet, so its call becomes one; the third has none.
    const converted = (await q.take(s.db, byPhone[phones[1]], "instance-a", true, 60_000)).rows[0];
    assert.deepEqual([converted.status, converted.channel], ["pending", "sms"]);
    const quiet = (await q.take(s.db, byPhone[phones[2]], "instance-a", true, 60_000)).rows[0];
    assert.deepEqual([quiet.status, quiet.end_reason], ["canceled", "quiet_hours"]);

    const second = await createAlert(s, "urgent", ["voice"], 500);
    const heldAgain = await holdQueries.hold(s.db, "voice", "instance-a", 10, 60_000, 0);
    assert.equal(heldAgain.length, 2, "the two still active");
    const cancel = await s.app.inject({
      method: "POST",
      url: `/v1/alerts/${second}/cancel`,
      headers: bearer(s.keys.operator),
    });
    assert.equal(cancel.statusCode, 200);
    for (const h of heldAgain) {
      assert.equal((await q.take(s.db, h.id, "instance-a", false, 60_000)).rowCount, 0, "cancelled: not taken");
    }
    const rows = (await s.db.query("SELECT status FROM deliveries WHERE alert_id = $1", [second])).rows;
    assert.deepEqual(
      rows.map((r) => r.status),
      ["canceled", "canceled"],
    );
    assert.equal(s.emulator.calls().length, 0, "nothing was sent");
  });
});
