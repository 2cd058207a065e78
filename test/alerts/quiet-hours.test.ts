import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { bearer, startStack, type Stack } from "../helpers/stack.js";
import { amsterdamClockAt } from "../helpers/clock.js";
import { eventually } from "../helpers/eventually.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";

// The same three citizens and the same alerts, by day and at night, with the default quiet hours 23:00–07:00.
const LANDLINE = "+31205550123";
const citizens = [
  { phone: mobile(1), ...offset(dam, 100), channels: ["voice", "sms"] },
  { phone: mobile(2), ...offset(dam, 200), channels: ["voice"] },
  { phone: LANDLINE, phoneType: "fixed" as const, ...offset(dam, 300), channels: ["voice"] },
];
const alert = (priority: "normal" | "urgent") => ({
  kind: "suspect",
  priority,
  channels: ["voice", "sms"],
  area: { type: "circle", center: dam, radiusMeters: 1000 },
  texts: { nl: { voice: "Let op een man met een rode jas.", sms: "Let op: man, rode jas." } },
});

async function send(s: Stack, priority: "normal" | "urgent") {
  const res = await s.app.inject({
    method: "POST",
    url: "/v1/alerts",
    headers: bearer(s.keys.operator),
    payload: alert(priority),
  });
  assert.equal(res.statusCode, 201, res.body);
  const id: string = res.json().id;
  // Everything the alert will send has gone out (no delivery left waiting).
  await eventually(
    async () =>
      (await s.db.query("SELECT 1 FROM deliveries WHERE alert_id = $1 AND status IN ('pending','sending')", [id]))
        .rowCount === 0,
    { what: "dispatch done" },
  );
  const rows = (
    await s.db.query<{ phone: string; channel: string }>("SELECT phone, channel FROM deliveries WHERE alert_id = $1 ", [
      id,
    ])
  ).rows;
  return { id, targeting: res.json().targeting, sent: rows.map((r) => `${r.channel} ${r.phone}`).sort() };
}

function stackAt(hhmm: string) {
  return startStack({ clock: amsterdamClockAt(hhmm), env: { QUIET_HOURS: "23:00-07:00" } });
}

describe("by day (12:00 in Amsterdam)", () => {
  let s: Stack;
  before(async () => {
    s = await stackAt("12:00");
    await seedParticipants(s.db, citizens);
  });
  after(() => s.close());

  test("a normal alert calls everyone and texts those with SMS", async () => {
    const { sent } = await send(s, "normal");
    assert.deepEqual(
      sent,
      [`voice ${LANDLINE}`, `sms ${mobile(1)}`, `voice ${mobile(1)}`, `voice ${mobile(2)}`].sort(),
    );
    await eventually(async () => s.emulator.calls().length === 3 || null, { what: "three calls" });
  });
});

describe("at night (02:30 in Amsterdam)", () => {
  let s: Stack;
  before(async () => {
    s = await stackAt("02:30");
    await seedParticipants(s.db, citizens);
  });
  after(() => s.close());

  test("a normal alert calls nobody: SMS instead where there is SMS, the voice-only citizens are skipped", async () => {
    const { id, sent } = await send(s, "normal");
    assert.deepEqual(sent, [`sms ${mobile(1)}`]);
    const preview = await s.app.inject({ method: "GET", url: `/v1/alerts/${id}`, headers: bearer(s.keys.operator) });
    assert.equal(preview.json().targeting.quietHours, true);
    assert.equal(preview.json().targeting.skipped.quiet_hours, 2);
    assert.equal(s.emulator.calls().length, 0);
    assert.equal(s.emulator.messages().filter((m) => m.direction === "outbound-api").length, 1);
  });

  test("an urgent alert calls everyone, as by day", async () => {
    const { sent } = await send(s, "urgent");
    assert.deepEqual(
      sent,
      [`voice ${LANDLINE}`, `sms ${mobile(1)}`, `voice ${mobile(1)}`, `voice ${mobile(2)}`].sort(),
    );
    await eventually(async () => s.emulator.calls().length === 3 || null, { what: "three calls" });
  });
});
