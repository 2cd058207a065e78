import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { bearer, startStack, type Stack } from "../helpers/stack.js";

let s: Stack;
before(async () => {
  s = await startStack();
});
after(() => s.close());

const home = { kind: "home", postcode: "1012 AB" };

async function register(body: object) {
  return s.app.inject({ method: "POST", url: "/v1/participants", headers: bearer(s.keys.registration), payload: body });
}

async function codeSentTo(phone: string): Promise<string> {
  const sms = await s.emulator.waitFor(() => s.emulator.messagesTo(phone).at(-1));
  return /(\d{6})/.exec(sms.body)![1];
}

async function count(table: string) {
  return (await s.db.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n;
}

describe("registration", () => {
  test("a citizen registers, receives a code by SMS, and becomes active after verifying it", async () => {
    const res = await register({
      phone: "06 1234 5678",
      channels: ["voice", "sms"],
      locations: [
        home,
        {
          kind: "work",
          postcode: "3511",
          window: { days: ["mon", "tue", "wed", "thu", "fri"], from: "08:00", to: "18:00" },
        },
      ],
    });
    assert.equal(res.statusCode, 202);
    const { id, status } = res.json();
    assert.equal(status, "pending");
    const code = await codeSentTo("+31612345678");
    assert.match(s.emulator.messagesTo("+31612345678").at(-1)!.body, /Burgernet-code/);

    const verified = await s.app.inject({
      method: "POST",
      url: `/v1/participants/${id}/verify`,
      headers: bearer(s.keys.registration),
      payload: { code },
    });
    assert.equal(verified.statusCode, 200);
    const p = verified.json();
    assert.equal(p.status, "active");
    assert.equal(p.phone, "+31612345678");
    assert.equal(p.language, "nl");
    const work = p.locations.find((l: { kind: string }) => l.kind === "work");
    assert.deepEqual(work.window, { days: ["mon", "tue", "wed", "thu", "fri"], from: "08:00", to: "18:00" });
    assert.equal(work.source, "pc4");
    assert.ok(Math.abs(work.lat - 52.09) < 0.05, "Utrecht 3511 centroid");
  });

  test("a wrong code is refused and counts an attempt; after five the code is dead", async () => {
    const res = await register({ phone: "+31611111111", channels: ["sms"], locations: [home] });
    const { id } = res.json();
    const code = await codeSentTo("+31611111111");
    const wrong = code === "000000" ? "111111" : "000000";
    const first = await s.app.inject({
      method: "POST",
      url: `/v1/participants/${id}/verify`,
      headers: bearer(s.keys.registration),
      payload: { code: wrong },
    });
    assert.equal(first.statusCode, 422);
    assert.equal(first.json().error.code, "BN_VERIFICATION_FAILED");
    assert.equal(first.json().error.details.attemptsLeft, 4);
    for (let i = 0; i < 4; i++) {
      await s.app.inject({
        method: "POST",
        url: `/v1/participants/${id}/verify`,
        headers: bearer(s.keys.registration),
        payload: { code: wrong },
      });
    }
    const late = await s.app.inject({
      method: "POST",
      url: `/v1/participants/${id}/verify`,
      headers: bearer(s.keys.registration),
      payload: { code },
    });
    assert.equal(late.statusCode, 422);
    assert.match(late.json().error.message, /Too many attempts/);
  });

  const knownPhone = "registering a phone that is already active answers exactly like a new one";
  test(`${knownPhone}, and the proven one replaces it`, async () => {
    const phone = "+31622222222";
    const a = await register({ phone, channels: ["voice"], locations: [home] });
    const sentBeforeAnswerA = s.emulator.messagesTo(phone).length;
    const idA = a.json().id;
    const codeA = await codeSentTo(phone);
    await s.app.inject({
      method: "POST",
      url: `/v1/participants/${idA}/verify`,
      headers: bearer(s.keys.registration),
      payload: { code: codeA },
    });

    const b = await register({
      phone: "0622222222",
      channels: ["voice", "sms"],
      locations: [{ kind: "home", postcode: "9711" }],
    });
    // Nothing in the answer tells that the phone is known: the same status, the same body but for the new id and
    // the code's expiry (the same TTL from now), and the same timing class: the same work before the answer.
    assert.equal(b.statusCode, a.statusCode);
    assert.equal(b.statusCode, 202);
    const shape = (body: { id: string; codeExpiresAt: string }) => ({
      ...body,
      id: /^[0-9a-f-]{36}$/.test(body.id),
      codeExpiresAt: Math.round((Date.parse(body.codeExpiresAt) - Date.now()) / 60_000),
    });
    assert.deepEqual(shape(b.json()), shape(a.json()));
    assert.deepEqual(shape(a.json()), { id: true, status: "pending", codeExpiresAt: 10 });
    assert.notEqual(b.json().id, idA, "a new participant, not the active one");
    const sentBeforeAnswerB = s.emulator.messagesTo(phone).length - 1;
    assert.equal(sentBeforeAnswerB, sentBeforeAnswerA, "the same work (sending the code) before either answer");
    const codeB = await s.emulator.waitFor(() => {
      const last = s.emulator.messagesTo(phone).at(-1)!;
      return /(\d{6})/.exec(last.body)![1] !== codeA && /(\d{6})/.exec(last.body)![1];
    });
    await s.app.inject({
      method: "POST",
      url: `/v1/participants/${b.json().id}/verify`,
      headers: bearer(s.keys.registration),
      payload: { code: codeB },
    });
    const rows = (await s.db.query("SELECT status FROM participants WHERE phone = $1 ORDER BY created_at", [phone]))
      .rows;
    assert.deepEqual(
      rows.map((r) => r.status),
      ["unsubscribed", "active"],
    );
  });

  test("a landline can register for calls but not for SMS", async () => {
    const sms = await register({ phone: "020 555 1234", channels: ["sms"], locations: [home] });
    assert.equal(sms.statusCode, 422);
    assert.equal(sms.json().error.code, "BN_INVALID_PHONE");
    const voice = await register({ phone: "020 555 1234", channels: ["voice"], locations: [home] });
    assert.equal(voice.statusCode, 202);
    // No SMS to a landline: the code is read out in a call.
    const call = await s.emulator.waitFor(() => s.emulator.callsTo("+31205551234")[0]);
    await s.emulator.callEnded(call.sid);
    const said = s.emulator
      .transcript(call.sid)
      .filter((e) => e.kind === "say")
      .map((e) => (e as { text: string }).text)
      .join(" ");
    assert.match(said, /Uw code is: \d, \d, \d, \d, \d, \d/);
  });

  test("codes are rate-limited per phone", async () => {
    const phone = "+31633333333";
    for (let i = 0; i < 3; i++)
      assert.equal((await register({ phone, channels: ["sms"], locations: [home] })).statusCode, 202);
    const fourth = await register({ phone, channels: ["sms"], locations: [home] });
    assert.equal(fourth.statusCode, 429);
    assert.equal(fourth.json().error.code, "BN_RATE_LIMITED");
  });
});

describe("bad input gets a 4xx in one shape and writes nothing", () => {
  const cases: [string, object | string, number, string][] = [
    ["invalid phone", { phone: "123", channels: ["voice"], locations: [home] }, 422, "BN_INVALID_PHONE"],
    [
      "postcode that does not exist",
      { phone: "+31644444444", channels: ["voice"], locations: [{ kind: "home", postcode: "1000" }] },
      422,
      "BN_UNKNOWN_POSTCODE",
    ],
    [
      "malformed postcode",
      { phone: "+31644444444", channels: ["voice"], locations: [{ kind: "home", postcode: "ABCD" }] },
      422,
      "BN_UNKNOWN_POSTCODE",
    ],
    [
      "coordinates in Belgium",
      {
        phone: "+31644444444",
        channels: ["voice"],
        locations: [{ kind: "home", postcode: "1012", lat: 50.85, lon: 4.35 }],
      },
      422,
      "BN_OUTSIDE_NETHERLANDS",
    ],
    [
      "unknown field",
      { phone: "+31644444444", channels: ["voice"], locations: [home], name: "Jan" },
      400,
      "BN_VALIDATION",
    ],
    ["wrong type", { phone: 31644444444, channels: ["voice"], locations: [home] }, 400, "BN_VALIDATION"],
    ["unknown channel", { phone: "+31644444444", channels: ["fax"], locations: [home] }, 400, "BN_VALIDATION"],
    ["no locations", { phone: "+31644444444", channels: ["voice"], locations: [] }, 400, "BN_VALIDATION"],
    [
      "lat without lon (dependentRequired)",
      { phone: "+31644444444", channels: ["voice"], locations: [{ ...home, lat: 52.37 }] },
      400,
      "BN_VALIDATION",
    ],
    ["malformed JSON", '{"phone": ', 400, "BN_MALFORMED_BODY"],
    ["oversized body", JSON.stringify({ phone: "x".repeat(300_000) }), 413, "BN_BODY_TOO_LARGE"],
  ];
  for (const [name, body, status, code] of cases) {
    test(name, async () => {
      const before = await count("participants");
      const res = await s.app.inject({
        method: "POST",
        url: "/v1/participants",
        headers: { ...bearer(s.keys.registration), "content-type": "application/json" },
        payload: typeof body === "string" ? body : JSON.stringify(body),
      });
      assert.equal(res.statusCode, status, res.body);
      assert.equal(res.json().error.code, code);
      assert.equal(typeof res.json().error.message, "string");
      assert.equal(await count("participants"), before);
    });
  }
});

describe("access", () => {
  test("no key is 401, an operator key is 403 on the registration API", async () => {
    const none = await s.app.inject({ method: "GET", url: "/v1/participants/00000000-0000-4000-8000-000000000000" });
    assert.equal(none.statusCode, 401);
    assert.equal(none.json().error.code, "BN_UNAUTHORIZED");
    const op = await s.app.inject({
      method: "GET",
      url: "/v1/participants/00000000-0000-4000-8000-000000000000",
      headers: bearer(s.keys.operator),
    });
    assert.equal(op.statusCode, 403);
    const bad = await s.app.inject({
      method: "GET",
      url: "/v1/participants/00000000-0000-4000-8000-000000000000",
      headers: bearer("bn_reg_nope"),
    });
    assert.equal(bad.statusCode, 401);
  });
});

describe("change and erasure", () => {
  test("PATCH changes channels and locations; DELETE erases phone and locations but keeps a tombstone", async () => {
    const phone = "+31655555555";
    const { id } = (await register({ phone, channels: ["voice"], locations: [home] })).json();
    const code = await codeSentTo(phone);
    await s.app.inject({
      method: "POST",
      url: `/v1/participants/${id}/verify`,
      headers: bearer(s.keys.registration),
      payload: { code },
    });

    const patched = await s.app.inject({
      method: "PATCH",
      url: `/v1/participants/${id}`,
      headers: bearer(s.keys.registration),
      payload: {
        channels: ["sms"],
        language: "en",
        locations: [{ kind: "home", postcode: "2511", lat: 52.08, lon: 4.31 }],
      },
    });
    assert.equal(patched.statusCode, 200);
    assert.deepEqual(patched.json().channels, ["sms"]);
    assert.equal(patched.json().locations[0].source, "exact");

    const del = await s.app.inject({
      method: "DELETE",
      url: `/v1/participants/${id}`,
      headers: bearer(s.keys.registration),
    });
    assert.equal(del.statusCode, 204);
    const row = (await s.db.query("SELECT phone, status FROM participants WHERE id = $1", [id])).rows[0];
    assert.deepEqual(row, { phone: null, status: "erased" });
    assert.equal((await s.db.query("SELECT 1 FROM participant_locations WHERE participant_id = $1", [id])).rowCount, 0);
    const gone = await s.app.inject({
      method: "GET",
      url: `/v1/participants/${id}`,
      headers: bearer(s.keys.registration),
    });
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().error.code, "BN_PARTICIPANT_NOT_FOUND");
  });
});

describe("service surface", () => {
  test("health, readiness and the OpenAPI document", async () => {
    assert.equal((await s.app.inject("/healthz")).json().status, "ok");
    assert.equal((await s.app.inject("/readyz")).json().status, "ok");
    const doc = (await s.app.inject("/openapi.json")).json();
    assert.equal(doc.openapi, "3.1.0"); // webhooks (the event payloads) need 3.1
    assert.ok(doc.paths["/v1/participants"].post);
    assert.equal((await s.app.inject("/docs/")).statusCode, 404, "browsable docs only with DOCS_PUBLIC=true");
  });
});
