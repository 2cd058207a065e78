import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eventually } from "../helpers/eventually.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";
import { bearer, startStack, type Stack } from "../helpers/stack.js";
import { LANGUAGES, type Language } from "../../src/languages/languages.js";
import { loadVoiceScripts } from "../../src/ivr/load-scripts.js";

const FSI = "\u2068";
const LRI = "\u2066";
const PDI = "\u2069";
const scripts = loadVoiceScripts();

let s: Stack;
// One SMS participant per language near the Dam, and one more far away for the refusal test.
const phones = Object.fromEntries(LANGUAGES.map((l, i) => [l, mobile(4400 + i)])) as Record<Language, string>;
const far = offset(dam, 3_000);

before(async () => {
  s = await startStack();
  await seedParticipants(
    s.db,
    LANGUAGES.map((language) => ({ phone: phones[language], ...dam, language, channels: ["sms"] })),
  );
});
after(() => s.close());

const post = (url: string, payload: object) =>
  s.app.inject({ method: "POST", url, headers: bearer(s.keys.operator), payload });

const texts = {
  nl: { voice: "Gezocht: een man met een rode jas.", sms: "Gezocht: man met rode jas. Tips: 0900 8844." },
  de: { voice: "Gesucht: ein Mann mit roter Jacke.", sms: "Gesucht: Mann mit roter Jacke. Hinweise: 0900 8844." },
  ar: { voice: "مطلوب: رجل يرتدي معطفاً أحمر.", sms: "مطلوب: رجل يرتدي معطفاً أحمر. للمعلومات: 0900 8844." },
};
const alert = (area = dam, t: object = texts) => ({
  kind: "suspect",
  presenceCheck: false, // the texts as written; the presence question: test/presence/presence-sms.test.ts
  channels: ["sms"],
  texts: t,
  area: { type: "circle", center: area, radiusMeters: 500 },
});

describe("alert SMS in every participant language", () => {
  test("the preview says who gets a fallback, per language, and the SMS each of them gets", async () => {
    const res = await post("/v1/alerts/preview", alert());
    assert.equal(res.statusCode, 200, res.body);
    const p = res.json();
    assert.equal(p.sms, 8);
    assert.deepEqual(Object.keys(p.fallback.byLanguage).sort(), ["en", "fr", "pl", "tr", "uk"]);
    assert.equal(p.fallback.participants, 5);
    assert.deepEqual(p.fallback.byLanguage.uk, {
      participants: 1,
      voice: 0,
      sms: 1,
      smsText: { encoding: "UCS-2", characters: 11 + 20 + 1 + 43, segments: 2 },
    });
    assert.equal(p.fallback.byLanguage.fr.smsText.encoding, "GSM-7");
    assert.equal(p.smsText.ar.encoding, "UCS-2");
    assert.equal(p.byLanguage.ar.sms, 1);
  });

  test("each participant gets their language's text, or the Dutch one introduced in it; segments as previewed", async () => {
    const created = await post("/v1/alerts", alert());
    assert.equal(created.statusCode, 201, created.body);
    type Sent = ReturnType<Stack["emulator"]["messagesTo"]>[number];
    const sent = await eventually(async () => {
      const all = LANGUAGES.map((l) => s.emulator.messagesTo(phones[l])[0]);
      return all.every(Boolean) && (Object.fromEntries(LANGUAGES.map((l, i) => [l, all[i]])) as Record<Language, Sent>);
    });
    assert.equal(sent.nl.body, "Burgernet: Gezocht: man met rode jas. Tips: 0900 8844.");
    assert.equal(sent.de.body, "Burgernet: Gesucht: Mann mit roter Jacke. Hinweise: 0900 8844.");
    const arabic = "مطلوب: رجل يرتدي معطفاً أحمر. للمعلومات:";
    assert.equal(sent.ar.body, `${FSI}Burgernet${PDI}: ${arabic} ${LRI}0900 8844${PDI}.`);
    for (const l of ["en", "fr", "pl", "tr", "uk"] as const)
      assert.equal(sent[l].body, `Burgernet: ${scripts[l]!.dutchFallback!.sms} ${texts.nl.sms}`, l);
    assert.equal(sent.en.body, "Burgernet: Only in Dutch: Gezocht: man met rode jas. Tips: 0900 8844.");
    // What the carrier bills is what the preview and the alert's targeting said.
    assert.equal(sent.ar.numSegments, 1);
    assert.equal(sent.uk.numSegments, 2, "the Cyrillic introduction makes it UCS-2");
    assert.equal(sent.fr.numSegments, 1);
    const a = (await s.app.inject({ url: `/v1/alerts/${created.json().id}`, headers: bearer(s.keys.operator) })).json();
    assert.equal(a.targeting.byLanguage.uk.sms, 1);
  });

  test("a Dutch text too long once introduced in Ukrainian is refused when a Ukrainian would get it; nothing written", async () => {
    const [farUk] = await seedParticipants(s.db, [{ phone: mobile(4480), ...far, language: "uk", channels: ["sms"] }]);
    const long = { nl: { voice: "Gezocht.", sms: "Gezocht: ".repeat(20) } }; // 180 GSM-7 characters: 2 parts in Dutch
    const before = (await s.db.query("SELECT count(*)::int AS n FROM alerts")).rows[0].n;
    const refused = await post("/v1/alerts", alert(far, long));
    assert.equal(refused.statusCode, 400, refused.body);
    const err = refused.json().error;
    assert.equal(err.code, "BN_VALIDATION");
    assert.equal(err.details.path, "body/texts/uk");
    assert.equal(err.details.segments, 4);
    assert.equal((await s.db.query("SELECT count(*)::int AS n FROM alerts")).rows[0].n, before);
    assert.equal(s.emulator.messagesTo(mobile(4480)).length, 0);
    // With a Ukrainian text it goes.
    const withUk = { ...long, uk: { voice: "Розшукується.", sms: "Розшукується чоловік." } };
    assert.equal((await post("/v1/alerts", alert(far, withUk))).statusCode, 201);
    assert.ok(farUk);
  });
});

describe("the participant's language field", () => {
  const register = (language: unknown, phone: string) =>
    s.app.inject({
      method: "POST",
      url: "/v1/participants",
      headers: bearer(s.keys.registration),
      payload: { phone, language, channels: ["sms"], locations: [{ kind: "home", postcode: "1011" }] },
    });

  test("accepts each of the eight languages and sends the code in it", async () => {
    const res = await register("uk", "+31612340001");
    assert.equal(res.statusCode, 202, res.body);
    const code = await eventually(async () => s.emulator.messagesTo("+31612340001")[0]);
    assert.match(code.body, /^Ваш код Burgernet: \d{6}\. Він дійсний 10 хвилин\.$/);
    const ar = await register("ar", "+31612340002");
    assert.equal(ar.statusCode, 202, ar.body);
    const arCode = await eventually(async () => s.emulator.messagesTo("+31612340002")[0]);
    assert.match(arCode.body, /^رمز Burgernet الخاص بك هو \u2066\d{6}\u2069\. الرمز صالح لمدة 10 دقائق\.$/);
  });

  for (const bad of ["ru", "NL", "nl-NL", "", 7]) {
    test(`refuses ${JSON.stringify(bad)} with a 400 in the one error shape; nothing written`, async () => {
      const before = (await s.db.query("SELECT count(*)::int AS n FROM participants")).rows[0].n;
      const res = await register(bad, "+31612340009");
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().error.code, "BN_VALIDATION");
      assert.equal((await s.db.query("SELECT count(*)::int AS n FROM participants")).rows[0].n, before);
    });
  }

  test("the database refuses a language the service does not speak", async () => {
    await assert.rejects(
      s.db.query("UPDATE participants SET language = 'ru' WHERE phone = $1", [phones.nl]),
      /participants_language_check/,
    );
  });
});
