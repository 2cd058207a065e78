import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { BURGERNET, bearer, startStack, type Stack } from "../helpers/stack.js";
import { eventually } from "../helpers/eventually.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";

const DRILL_NUMBER = "+31201110000";
let s: Stack;
const texts = { nl: { voice: "Oefening: let op een rode auto.", sms: "Oefening: rode auto gezien? Bel 112." } };
const circle = { type: "circle", center: dam, radiusMeters: 2000 };

// Opted in: by the API at registration, by PATCH, by SMS keyword; an English one on a fixed line.
const byRegistration = mobile(72_001);
const byPatch = mobile(72_002);
const bySms = mobile(72_003);
const englishFixed = "+31201234568";
// Not opted in: never asked, and one who opted in by SMS and then out again.
const never = mobile(72_010);
const neverFixed = "+31201234569";
const optedOut = mobile(72_011);

async function sms(from: string, body: string) {
  const res = await s.emulator.sendSms({ from, to: BURGERNET, body });
  assert.equal(res.status, 200);
  return res.replies[0].body;
}

async function registerActive(phone: string, drills?: boolean) {
  const res = await s.app.inject({
    method: "POST",
    url: "/v1/participants",
    headers: bearer(s.keys.registration),
    payload: { phone, channels: ["voice", "sms"], locations: [{ kind: "home", postcode: "1012 AB" }], drills },
  });
  assert.equal(res.statusCode, 202, res.body);
  const code = /(\d{6})/.exec((await s.emulator.waitFor(() => s.emulator.messagesTo(phone)[0])).body)![1];
  const ok = await s.app.inject({
    method: "POST",
    url: `/v1/participants/${res.json().id}/verify`,
    headers: bearer(s.keys.registration),
    payload: { code },
  });
  assert.equal(ok.statusCode, 200, ok.body);
  return ok.json();
}

before(async () => {
  s = await startStack({ env: { DRILL_NUMBER, RETRY_DELAYS_SECONDS: "1,1" } });
  assert.equal((await registerActive(byRegistration, true)).drills, true);
  const patched = await registerActive(byPatch);
  assert.equal(patched.drills, false, "off unless asked for");
  const res = await s.app.inject({
    method: "PATCH",
    url: `/v1/participants/${patched.id}`,
    headers: bearer(s.keys.registration),
    payload: { drills: true },
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().drills, true);
  await seedParticipants(s.db, [
    { phone: bySms, ...offset(dam, 100) },
    { phone: englishFixed, ...offset(dam, 200), channels: ["voice"], language: "en" },
    { phone: never, ...offset(dam, 50) },
    { phone: neverFixed, ...offset(dam, 60), channels: ["voice"] },
    { phone: optedOut, ...offset(dam, 70) },
  ]);
  assert.match(await sms(bySms, "oefening"), /u doet mee aan oefeningen/);
  await s.db.query("UPDATE participants SET drills = true WHERE phone = $1", [englishFixed]);
  assert.match(await sms(optedOut, "DRILL"), /u doet mee aan oefeningen/);
  assert.match(await sms(optedOut, "Oefening uit"), /u doet niet meer mee/);
  // The one who presses 1 during the drill's call.
  s.emulator.setPersona(bySms, { answer: "human", script: [{ digits: "1" }], talkSeconds: 2 });
});
after(() => s.close());

const said = (sid: string) => s.emulator.transcript(sid).flatMap((e) => (e.kind === "say" ? [e.text] : []));

describe("drills", () => {
  test("a drill reaches only those who opted in, says so first in their language, and key 1 dials the drill number", async () => {
    const created = await s.app.inject({
      method: "POST",
      url: "/v1/alerts",
      headers: bearer(s.keys.operator),
      payload: {
        kind: "vehicle",
        channels: ["voice", "sms"],
        area: circle,
        texts,
        mode: "drill",
        presenceCheck: false,
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const alert = created.json();
    assert.equal(alert.mode, "drill");
    assert.equal(alert.targeting.participants, 4);
    const inDrill = [byRegistration, byPatch, bySms, englishFixed];
    await eventually(
      async () => {
        const a = (await s.app.inject({ url: `/v1/alerts/${alert.id}`, headers: bearer(s.keys.operator) })).json();
        return a.summary.queued === 0 && a.summary.atCarrier === 0 && a.summary.reached === 4;
      },
      { what: "the drill sent" },
    );
    for (const phone of [never, neverFixed, optedOut]) {
      assert.equal(s.emulator.callsTo(phone).length, 0, `${phone} did not opt in: no call`);
      assert.equal(
        s.emulator.messagesTo(phone).filter((m) => m.body.includes("rode auto")).length,
        0,
        `${phone} did not opt in: no SMS`,
      );
    }
    for (const phone of inDrill.slice(0, 3)) {
      const drillSms = s.emulator.messagesTo(phone).filter((m) => m.body.includes("rode auto"));
      assert.equal(drillSms.length, 1);
      assert.equal(drillSms[0].body, `Burgernet: Dit is een oefening. ${texts.nl.sms}`);
    }
    for (const phone of inDrill) {
      const [call] = s.emulator.callsTo(phone);
      await s.emulator.callEnded(call.sid);
      const first = said(call.sid)[0];
      assert.equal(first, phone === englishFixed ? "This is a drill." : "Dit is een oefening.");
    }
    const [pressed] = s.emulator.callsTo(bySms);
    const dial = s.emulator.transcript(pressed.sid).find((e) => e.kind === "dial");
    assert.ok(dial && dial.kind === "dial");
    assert.equal(dial.number, DRILL_NUMBER, "a drill never puts a citizen through to the meldkamer");

    const events = (await s.db.query("SELECT type, data FROM events WHERE alert_id = $1 ORDER BY seq", [alert.id]))
      .rows;
    assert.ok(events.length >= 2);
    for (const e of events) assert.equal(e.data.drill, true, `${e.type} carries drill: true`);
  });

  test("calling the Burgernet number, only those in drills hear of a running drill", async () => {
    const heardOf = async (from: string) => {
      const call = s.emulator.placeInboundCall({
        from,
        to: BURGERNET,
        persona: { answer: "human", hangupAfterSeconds: 8 },
      });
      await call.ended;
      return said(call.sid).join(" ");
    };
    assert.match(await heardOf(bySms), /Dit is een oefening/);
    assert.doesNotMatch(await heardOf(never), /oefening|rode auto/i);
  });

  test("someone who opts out after the drill was targeted gets nothing more of it", async () => {
    // The line is busy: the call is retried a second later, and by then the citizen has sent OEFENING UIT.
    s.emulator.setPersona(byPatch, { answer: "busy" });
    const callsBefore = s.emulator.callsTo(byPatch).length;
    const created = await s.app.inject({
      method: "POST",
      url: "/v1/alerts",
      headers: bearer(s.keys.operator),
      payload: { kind: "vehicle", channels: ["voice"], area: circle, texts, mode: "drill" },
    });
    const id = created.json().id;
    await s.emulator.waitFor(() => s.emulator.callsTo(byPatch).length > callsBefore);
    assert.match(await sms(byPatch, "OEFENING UIT"), /niet meer mee/);
    const callsAtOptOut = s.emulator.callsTo(byPatch).length;
    const ended = await eventually(async () => {
      const rows = (
        await s.db.query("SELECT status, end_reason FROM deliveries WHERE alert_id = $1 AND phone = $2", [id, byPatch])
      ).rows;
      return rows[0]?.end_reason === "no_drills" && rows[0];
    });
    assert.equal(ended.status, "canceled");
    assert.equal(s.emulator.callsTo(byPatch).length, callsAtOptOut);
    assert.equal(callsAtOptOut, callsBefore + 1, "the busy call only");
  });

  test("live alerts still reach everyone, and events of live alerts carry no drill flag", async () => {
    const created = await s.app.inject({
      method: "POST",
      url: "/v1/alerts",
      headers: bearer(s.keys.operator),
      payload: { kind: "vehicle", channels: ["sms"], area: circle, texts: { nl: { voice: "Echt.", sms: "Echt." } } },
    });
    assert.equal(created.json().mode, "live");
    assert.equal(created.json().targeting.participants, 5, "every participant on SMS, in drills or not");
    const events = (await s.db.query("SELECT data FROM events WHERE alert_id = $1", [created.json().id])).rows;
    for (const e of events) assert.equal(e.data.drill, undefined);
    // Kept apart: the list filters by mode, and each report says which it is.
    const list = async (mode: string) =>
      (await s.app.inject({ url: `/v1/alerts?mode=${mode}`, headers: bearer(s.keys.operator) }))
        .json()
        .map((a: { id: string; mode: string }) => a.mode);
    assert.deepEqual(await list("live"), ["live"]);
    assert.deepEqual(await list("drill"), ["drill", "drill"]);
    const report = async (id: string) =>
      (await s.app.inject({ url: `/v1/alerts/${id}/report`, headers: bearer(s.keys.operator) })).json();
    assert.equal((await report(created.json().id)).mode, "live");
    const [drill] = (await s.app.inject({ url: "/v1/alerts?mode=drill", headers: bearer(s.keys.operator) })).json();
    assert.equal((await report(drill.id)).mode, "drill");
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const totals = async (query: string) => {
      const analytics = await s.app.inject({
        url: `/v1/analytics?from=${from}&to=${to}${query}`,
        headers: bearer(s.keys.operator),
      });
      assert.equal(analytics.statusCode, 200, analytics.body);
      return analytics.json().totals.map((t: { drill: boolean; alerts: number }) => [t.drill, t.alerts]);
    };
    assert.deepEqual(await totals(""), [[false, 1]], "analytics count live alerts unless asked for drills");
    assert.deepEqual(await totals("&drill=true"), [[true, 2]], "and drills apart");
  });
});
