import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { bearer, startStack, type Stack } from "../helpers/stack.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";

// Counted in calls, not milliseconds: on a loaded machine every call leaves later, but what the urgent alert must not
// wait behind is the normal alert's line. Within a second at DISPATCH_CPS 20 is at most 20 of its calls.
const CPS = 20;

let s: Stack;
before(async () => {
  s = await startStack({ env: { DISPATCH_CPS: String(CPS) } });
});
after(() => s.close());

const texts = { nl: { voice: "Let op.", sms: "Let op." } };

test("an urgent alert overtakes a normal one that is dispatching: at most a second's worth of calls go before its first", async (t) => {
  // The urgent alert is another police unit's, inside it: Rotterdam's centre (RE07, the otherRegion key).
  const elsewhere = { lat: 51.9225, lon: 4.4792 };
  await seedParticipants(
    s.db,
    Array.from({ length: 300 }, (_, i) => ({
      phone: mobile(50_000 + i),
      ...offset(dam, (i % 20) * 50, Math.floor(i / 20) * 50),
    })),
  );
  await seedParticipants(
    s.db,
    Array.from({ length: 5 }, (_, i) => ({ phone: mobile(60_000 + i), ...offset(elsewhere, i * 50) })),
  );

  const normal = await s.app.inject({
    method: "POST",
    url: "/v1/alerts",
    headers: bearer(s.keys.operator),
    payload: {
      kind: "suspect",
      priority: "normal",
      channels: ["voice"],
      texts,
      area: { type: "circle", center: dam, radiusMeters: 1500 },
    },
  });
  assert.equal(normal.statusCode, 201);
  await s.emulator.waitFor(() => s.emulator.calls().length >= 40, { timeoutMs: 20_000 });

  const createdAt = Date.now();
  const urgent = await s.app.inject({
    method: "POST",
    url: "/v1/alerts",
    headers: bearer(s.keys.otherRegion),
    payload: {
      kind: "missing_child",
      priority: "urgent",
      channels: ["voice"],
      texts,
      area: { type: "circle", center: elsewhere, radiusMeters: 500 },
    },
  });
  assert.equal(urgent.statusCode, 201);
  const urgentPhones = new Set(Array.from({ length: 5 }, (_, i) => mobile(60_000 + i)));
  const first = await s.emulator.waitFor(() => s.emulator.calls().find((c) => urgentPhones.has(c.to)), {
    timeoutMs: 10_000,
  });
  const waited = first.createdAt - createdAt;
  const before = s.emulator
    .calls()
    .filter((c) => !urgentPhones.has(c.to) && c.createdAt >= createdAt && c.createdAt <= first.createdAt).length;
  assert.ok(before <= CPS, `${before} calls of the normal alert went before the urgent one's first`);
  t.diagnostic(`first urgent call ${waited} ms after its creation, behind ${before} normal calls`);
  const remaining = (
    await s.db.query("SELECT count(*) AS n FROM deliveries WHERE alert_id = $1 AND status = 'pending'", [
      normal.json().id,
    ])
  ).rows[0].n;
  assert.ok(remaining > 100, "the normal alert was still dispatching");
});
