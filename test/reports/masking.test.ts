import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type WebSocket from "ws";
import { findPrincipal } from "../../src/access/keys.js";
import { BURGERNET, bearer, startStack, type Stack } from "../helpers/stack.js";
import { phoneForms, registerActive } from "../participants/helpers.js";

const phone = "+31612380001";
let s: Stack;
let alertId: string;
let ws: WebSocket;
const live: string[] = [];

before(async () => {
  s = await startStack();
  await registerActive(s, phone);
  ws = await s.app.injectWS(
    "/v1/live",
    { headers: bearer(s.keys.operator) },
    { onInit: (w) => w.on("message", (m) => live.push(String(m))) },
  );
  const created = await s.app.inject({
    method: "POST",
    url: "/v1/alerts",
    headers: bearer(s.keys.operator),
    payload: {
      kind: "vehicle",
      priority: "urgent",
      texts: { nl: { voice: "Gezocht: een rode bestelbus.", sms: "Gezocht: rode bestelbus." } },
      area: { type: "circle", center: { lat: 52.3731, lon: 4.8926 }, radiusMeters: 5000 },
      channels: ["sms"],
    },
  });
  assert.equal(created.statusCode, 201, created.body);
  alertId = created.json().id;
  await s.emulator.waitFor(() => s.emulator.messagesTo(phone).some((m) => m.body.includes("bestelbus")), {
    timeoutMs: 20_000,
  });
  const tip = await s.emulator.sendSms({ from: phone, to: BURGERNET, body: "Rode bus staat bij het station" });
  assert.equal(tip.status, 200);
  await s.emulator.waitFor(() => live.some((m) => m.includes("sighting.created")), { timeoutMs: 20_000 });
});
after(async () => {
  ws.terminate();
  await s.close();
});

function assertMasked(text: string) {
  for (const form of phoneForms(phone)) assert.ok(!text.includes(form), `${form} in ${text.slice(0, 500)}`);
  assert.ok(text.includes("+316•••••001"), `the masked number in ${text.slice(0, 500)}`);
}

describe("operators see masked numbers only", () => {
  test("the deliveries list", async () => {
    const res = await s.app.inject({ url: `/v1/alerts/${alertId}/deliveries`, headers: bearer(s.keys.operator) });
    assert.equal(res.statusCode, 200, res.body);
    assertMasked(res.body);
  });

  test("the report as CSV", async () => {
    const res = await s.app.inject({
      url: `/v1/alerts/${alertId}/report?format=csv`,
      headers: bearer(s.keys.operator),
    });
    assert.equal(res.statusCode, 200, res.body);
    assertMasked(res.body);
  });

  test("the live feed, whose reader is in the audit log", async () => {
    const tip = live.find((m) => m.includes("sighting.created"))!;
    assertMasked(tip);
    for (const m of live) for (const form of phoneForms(phone)) assert.ok(!m.includes(form), m);
    const { keyId } = (await findPrincipal(s.db, s.keys.operator))!;
    const reads = await s.db.query("SELECT subject_id FROM audit_log WHERE action = 'live.connected' AND actor = $1", [
      keyId,
    ]);
    assert.deepEqual(reads.rows, [{ subject_id: "RE05" }]);
  });

  test("the tips through the API", async () => {
    const res = await s.app.inject({ url: `/v1/alerts/${alertId}/sightings`, headers: bearer(s.keys.operator) });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().sightings[0].transcript, "Rode bus staat bij het station");
    assertMasked(res.body);
  });
});
