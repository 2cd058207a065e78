import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { bearer, startStack, type Stack } from "../helpers/stack.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";
import { eventually } from "../helpers/eventually.js";

// Issue 28, skewed clocks: the carrier's dates come from its clock. A request whose answer was lost (the call was
// made, the connection reset before the SID came back) is looked up in the carrier's list by its date: with the
// carrier's clock 5 s behind or ahead of ours, the call must still be found, and the citizen never called twice.
async function voiceAlert(s: Stack) {
  const res = await s.app.inject({
    method: "POST",
    url: "/v1/alerts",
    headers: bearer(s.keys.operator),
    payload: {
      kind: "vehicle",
      priority: "urgent",
      channels: ["voice"],
      area: { type: "circle", center: dam, radiusMeters: 3500 },
      texts: { nl: { voice: "Let op een blauwe bestelbus.", sms: "Blauwe bestelbus." } },
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id as string;
}

for (const skewMs of [-5_000, 5_000]) {
  describe(`the carrier's clock ${skewMs < 0 ? "behind" : "ahead of"} ours by ${Math.abs(skewMs) / 1000} s`, () => {
    let s: Stack;
    const phones = Array.from({ length: 4 }, (_, i) => mobile(63_000 + i + (skewMs < 0 ? 0 : 10)));
    before(async () => {
      s = await startStack({ dispatch: { gate: { baseMs: 100, maxMs: 500 } } });
      await seedParticipants(
        s.db,
        phones.map((phone, i) => ({ phone, ...offset(dam, 3000, i * 60) })),
      );
      s.emulator.setClockSkew(skewMs);
    });
    after(() => s.close());

    test("answers lost after the call was made are found at the carrier: everyone answered, called once", async () => {
      s.emulator.failCreates({ reset: "after", count: 2, resource: "calls" });
      const id = await voiceAlert(s);
      const rows = await eventually(
        async () => {
          const r = (
            await s.db.query<{ phone: string; status: string }>(
              "SELECT phone, status FROM deliveries WHERE alert_id = $1 AND purpose = 'alert' ORDER BY phone",
              [id],
            )
          ).rows;
          return r.length === phones.length && r.every((d) => d.status === "answered") && r;
        },
        { what: "every delivery answered", timeoutMs: 60_000 },
      );
      assert.equal(rows.length, 4);
      for (const phone of phones) assert.equal(s.emulator.callsTo(phone).length, 1, `${phone} called once`);
      const metrics = (await s.app.inject({ url: "/metrics", headers: bearer(s.keys.admin) })).body;
      assert.match(metrics, /burgernet_carrier_requests_total\{operation="placeCall",outcome="lost"\} 2\n/);
    });
  });
}
