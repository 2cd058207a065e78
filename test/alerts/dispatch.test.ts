import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { bearer, startStack, twilioPost, type Stack } from "../helpers/stack.js";
import { dam, mobile, offset, seedParticipants, type SeedParticipant } from "../helpers/participants.js";
import { eventually } from "../helpers/eventually.js";
import type { Persona } from "../../src/sim/index.js";

let s: Stack;
before(async () => {
  s = await startStack({ dispatch: { retry: { maxAttempts: 3, delaysMs: [30, 30] } } });
});
after(() => s.close());

const texts = {
  nl: {
    voice: "De politie zoekt een jongen van tien jaar met een rode jas.",
    sms: "Politie zoekt jongen (10), rode jas. Gezien? Bel 112.",
  },
  en: {
    voice: "The police are looking for a ten year old boy in a red coat.",
    sms: "Police look for boy (10), red coat. Seen him? Call 112.",
  },
};
const circle = { type: "circle", center: dam, radiusMeters: 2000 };

function isoDowAmsterdam(d = new Date()) {
  const wd = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Amsterdam", weekday: "short" }).format(d);
  return ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(wd) + 1;
}

async function deliveriesOf(alertId: string) {
  return (await s.db.query("SELECT * FROM deliveries WHERE alert_id = $1 ORDER BY id", [alertId])).rows;
}

async function settled(alertId: string, purpose = "alert") {
  const open = async () =>
    (
      await s.db.query(
        `SELECT id, status, attempts, provider_sid, next_attempt_at, lease_owner FROM deliveries
      WHERE alert_id = $1 AND purpose = $2
        AND status NOT IN ('answered','voicemail','delivered','busy','no_answer','failed','canceled','undelivered')`,
        [alertId, purpose],
      )
    ).rows;
  try {
    await eventually(async () => (await open()).length === 0, {
      what: `all ${purpose} deliveries final`,
      timeoutMs: 90_000,
    });
  } catch (err) {
    const calls = s.emulator.calls().map((c) => ({ sid: c.sid, status: c.status }));
    const ended = ["completed", "busy", "no-answer", "failed", "canceled"];
    const live = calls.filter((c) => !ended.includes(c.status));
    throw new Error(
      `${(err as Error).message}; still open: ${JSON.stringify(await open())}; carrier: ${JSON.stringify(live)}`,
    );
  }
}

describe("a mass alert by voice", () => {
  const personas: Record<string, Persona> = {};
  const inside: SeedParticipant[] = [];
  const outside: SeedParticipant[] = [];
  const closedWindow: SeedParticipant[] = [];
  const kinds = ["human", "human", "busy", "no-answer", "voicemail", "invalid"] as const;

  before(async () => {
    for (let i = 0; i < 120; i++) {
      const kind = kinds[i % kinds.length];
      const angle = i * 2.39996; // golden angle: spread evenly, all within 1.9 km
      const r = 100 + (i % 19) * 95;
      const at = offset(dam, r * Math.cos(angle), r * Math.sin(angle));
      const p = { phone: mobile(i), ...at, channels: i % 10 === 0 ? ["voice"] : ["voice", "sms"] };
      inside.push(p);
      personas[p.phone] = { answer: kind };
    }
    for (let i = 0; i < 30; i++) outside.push({ phone: mobile(500 + i), ...offset(dam, 2500 + i * 50, 0) });
    const today = isoDowAmsterdam();
    const notToday = 127 & ~(1 << (today - 1));
    for (let i = 0; i < 10; i++)
      closedWindow.push({
        phone: mobile(800 + i),
        ...offset(dam, 100, 100),
        kind: "work",
        window: { days: notToday, from: "00:00", to: "23:59" },
      });
    for (const [phone, persona] of Object.entries(personas)) s.emulator.setPersona(phone, persona);
    await seedParticipants(s.db, [...inside, ...outside, ...closedWindow]);
  });

  test("preview counts who would be reached and writes nothing", async () => {
    const res = await s.app.inject({
      method: "POST",
      url: "/v1/alerts/preview",
      headers: bearer(s.keys.operator),
      payload: { kind: "missing_child", priority: "urgent", texts, area: circle, channels: ["voice", "sms"] },
    });
    assert.equal(res.statusCode, 200, res.body);
    const p = res.json();
    assert.equal(p.participants, 120);
    assert.equal(p.voice, 120);
    assert.equal(p.sms, 108);
    assert.equal(p.skipped.time_window, 10);
    assert.deepEqual(p.smsText.nl, {
      encoding: "GSM-7",
      characters: `Burgernet: ${texts.nl.sms}`.length, // counted as it goes out
      segments: 1,
      totalSegments: 108,
    });
    assert.equal((await s.db.query("SELECT count(*) AS n FROM alerts")).rows[0].n, 0);
  });

  test("everyone inside is called exactly once (plus retries), nobody outside; the closing message goes only to those reached", async () => {
    const res = await s.app.inject({
      method: "POST",
      url: "/v1/alerts",
      headers: { ...bearer(s.keys.operator), "idempotency-key": "k1" },
      payload: { kind: "missing_child", priority: "urgent", texts, area: circle, channels: ["voice"] },
    });
    assert.equal(res.statusCode, 201, res.body);
    const alert = res.json();
    assert.equal(alert.targeting.voice, 120);
    const again = await s.app.inject({
      method: "POST",
      url: "/v1/alerts",
      headers: { ...bearer(s.keys.operator), "idempotency-key": "k1" },
      payload: { kind: "missing_child", priority: "urgent", texts, area: circle, channels: ["voice"] },
    });
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().id, alert.id);

    await settled(alert.id);
    const byPhone = new Map((await deliveriesOf(alert.id)).map((d) => [d.phone, d]));
    for (const p of inside) {
      const kind = personas[p.phone].answer;
      const d = byPhone.get(p.phone)!;
      const calls = s.emulator.callsTo(p.phone).length;
      switch (kind) {
        case "human":
          assert.equal(d.status, "answered");
          assert.equal(calls, 1);
          break;
        case "voicemail":
          assert.equal(d.status, "voicemail");
          assert.equal(calls, 1);
          break;
        case "busy":
          assert.equal(d.status, "busy");
          assert.equal(d.attempts, 3);
          assert.equal(calls, 3);
          break;
        case "no-answer":
          assert.equal(d.status, "no_answer");
          assert.equal(calls, 3);
          break;
        case "invalid":
          assert.equal(d.status, "failed");
          assert.equal(d.last_error_code, 21211);
          assert.equal(calls, 0);
          break;
      }
    }
    for (const p of [...outside, ...closedWindow])
      assert.equal(s.emulator.callsTo(p.phone).length, 0, `${p.phone} must not be called`);
    // Nothing left to submit: the alert moves from dispatching to active.
    const got = await eventually(async () => {
      const a = (await s.app.inject({ url: `/v1/alerts/${alert.id}`, headers: bearer(s.keys.operator) })).json();
      return a.status === "active" && a;
    });
    assert.equal(got.progress.answered, 40);
    assert.equal(got.progress.voicemail, 20);
    assert.ok(got.dispatchedAt);

    const closed = await s.app.inject({
      method: "POST",
      url: `/v1/alerts/${alert.id}/close`,
      headers: bearer(s.keys.operator),
      payload: { outcome: "found", message: "Het kind is gevonden. Dank voor uw hulp." },
    });
    assert.equal(closed.statusCode, 200, closed.body);
    await settled(alert.id, "closing");
    const closing = (await deliveriesOf(alert.id)).filter((d) => d.purpose === "closing");
    assert.equal(closing.length, 60, "answered + voicemail");
    for (const d of closing) {
      const reached = ["human", "voicemail"].includes(personas[d.phone].answer);
      assert.ok(reached, `${d.phone} was not reached and must get no closing message`);
      const voiceOnly = inside.find((p) => p.phone === d.phone)!.channels!.length === 1;
      assert.equal(d.channel, voiceOnly ? "voice" : "sms");
      if (!voiceOnly) assert.match(s.emulator.messagesTo(d.phone).at(-1)!.body, /gevonden/);
    }
    const again2 = await s.app.inject({
      method: "POST",
      url: `/v1/alerts/${alert.id}/cancel`,
      headers: bearer(s.keys.operator),
    });
    assert.equal(again2.statusCode, 409);
  });

  test("another region's operator cannot see or cancel the alert: 404, as for an id that does not exist", async () => {
    const [a] = (await s.db.query("SELECT id FROM alerts LIMIT 1")).rows;
    const res = await s.app.inject({ url: `/v1/alerts/${a.id}`, headers: bearer(s.keys.otherRegion) });
    const unknown = await s.app.inject({ url: `/v1/alerts/${randomUUID()}`, headers: bearer(s.keys.otherRegion) });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), unknown.json());
    const cancel = await s.app.inject({
      method: "POST",
      url: `/v1/alerts/${a.id}/cancel`,
      headers: bearer(s.keys.otherRegion),
    });
    assert.equal(cancel.statusCode, 404);
  });
});

describe("bad alerts are refused with nothing written or sent", () => {
  const base = { kind: "suspect", texts, area: circle, channels: ["voice", "sms"] };
  const cases: [string, object, number, string][] = [
    [
      "circle in Belgium",
      { ...base, area: { type: "circle", center: { lat: 50.85, lon: 4.35 }, radiusMeters: 1000 } },
      422,
      "BN_OUTSIDE_NETHERLANDS",
    ],
    ["radius too large", { ...base, area: { ...circle, radiusMeters: 30000 } }, 400, "BN_VALIDATION"],
    ["radius too small", { ...base, area: { ...circle, radiusMeters: 10 } }, 400, "BN_VALIDATION"],
    [
      "open polygon",
      {
        ...base,
        area: {
          type: "Polygon",
          coordinates: [
            [
              [4.88, 52.36],
              [4.9, 52.36],
              [4.9, 52.38],
              [4.88, 52.38],
            ],
          ],
        },
      },
      422,
      "BN_INVALID_AREA",
    ],
    [
      "self-intersecting polygon",
      {
        ...base,
        area: {
          type: "Polygon",
          coordinates: [
            [
              [4.88, 52.36],
              [4.9, 52.38],
              [4.9, 52.36],
              [4.88, 52.38],
              [4.88, 52.36],
            ],
          ],
        },
      },
      422,
      "BN_INVALID_AREA",
    ],
    ["unknown municipality", { ...base, area: { type: "municipality", code: "GM9999" } }, 422, "BN_INVALID_AREA"],
    ["empty text", { ...base, texts: { nl: { voice: " ", sms: "x" } } }, 400, "BN_VALIDATION"],
    ["no Dutch text", { ...base, texts: { en: texts.en } }, 400, "BN_VALIDATION"],
    ["too many SMS segments", { ...base, texts: { nl: { voice: "x", sms: "€".repeat(250) } } }, 400, "BN_VALIDATION"],
    ["unknown field", { ...base, colour: "red" }, 400, "BN_VALIDATION"],
  ];
  for (const [name, body, status, code] of cases) {
    test(name, async () => {
      const before = (await s.db.query("SELECT (SELECT count(*) FROM alerts) + (SELECT count(*) FROM deliveries) AS n"))
        .rows[0].n;
      const calls = s.emulator.calls().length;
      const res = await s.app.inject({
        method: "POST",
        url: "/v1/alerts",
        headers: bearer(s.keys.operator),
        payload: body,
      });
      assert.equal(res.statusCode, status, res.body);
      assert.equal(res.json().error.code, code);
      assert.equal(
        (await s.db.query("SELECT (SELECT count(*) FROM alerts) + (SELECT count(*) FROM deliveries) AS n")).rows[0].n,
        before,
      );
      assert.equal(s.emulator.calls().length, calls);
    });
  }
  test("a registration key cannot create alerts", async () => {
    const res = await s.app.inject({
      method: "POST",
      url: "/v1/alerts",
      headers: bearer(s.keys.registration),
      payload: base,
    });
    assert.equal(res.statusCode, 403);
  });
});

describe("status callbacks", () => {
  test("callbacks of one call arriving together are all accepted, and the delivery ends where the call ended", async () => {
    const [alert] = (await s.db.query("SELECT id FROM alerts ORDER BY created_at LIMIT 1")).rows;
    const { id } = (
      await s.db.query(
        `INSERT INTO deliveries (alert_id, participant_id, phone, channel, purpose, language,
          rank, distance_m, status, attempts, provider_sid)
       SELECT $1, id, '+31699999999', 'voice', 'alert', 'nl', 1, 10, 'submitted', 1, 'CA' || repeat('7', 32)
         FROM participants
        WHERE id NOT IN (SELECT participant_id FROM deliveries) LIMIT 1 RETURNING id`,
        [alert.id],
      )
    ).rows[0];
    const path = `/twilio/voice/status?delivery=${id}&attempt=1`;
    const statuses = [
      "initiated",
      "ringing",
      "in-progress",
      "completed",
      "ringing",
      "completed",
      "in-progress",
      "initiated",
    ];
    const responses = await Promise.all(
      statuses.map((CallStatus, i) => {
        const params = { CallSid: "CA" + "7".repeat(32), CallStatus, SequenceNumber: String(i), CallDuration: "12" };
        return twilioPost(s, path, params);
      }),
    );
    assert.deepEqual(
      responses.map((r) => r.statusCode),
      statuses.map(() => 204),
    );
    const d = (await s.db.query("SELECT status, duration_s FROM deliveries WHERE id = $1", [id])).rows[0];
    assert.deepEqual(d, { status: "answered", duration_s: 12 });
    assert.equal((await s.db.query("SELECT count(*) AS n FROM call_events WHERE delivery_id = $1", [id])).rows[0].n, 8);
  });

  test("a forged callback is refused with 403 and writes nothing", async () => {
    const before = (await s.db.query("SELECT count(*) AS n FROM call_events")).rows[0].n;
    const res = await s.app.inject({
      method: "POST",
      url: "/twilio/voice/status?delivery=1&attempt=1",
      payload: "CallSid=CAx&CallStatus=completed",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": "forged" },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, "BN_TWILIO_SIGNATURE");
    assert.equal((await s.db.query("SELECT count(*) AS n FROM call_events")).rows[0].n, before);
  });
});
