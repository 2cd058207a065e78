import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { loadVoiceScripts } from "../../src/ivr/load-scripts.js";
import { parseSms } from "../../src/ivr/sms-parse.js";
import { LANGUAGES, type Language } from "../../src/languages/languages.js";
import { withPresenceQuestion } from "../../src/presence/sms-question.js";
import { outgoingSmsSegments } from "../../src/rules/sms-segments.js";
import { eventually } from "../helpers/eventually.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";
import { bearer, startStack, BURGERNET, type Stack } from "../helpers/stack.js";

const scripts = loadVoiceScripts();
const NEW = ["de", "fr", "pl", "tr", "ar", "uk"] as const;
const YES: Record<(typeof NEW)[number], string> = { de: "Ja", fr: "oui", pl: "TAK", tr: "Evet", ar: "نعم", uk: "Так" };
const NO: Record<(typeof NEW)[number], string> = { de: "nein", fr: "Non", pl: "nie", tr: "HAYIR", ar: "لا", uk: "ні" };
const QUESTION: Record<(typeof NEW)[number], string> = {
  de: "Antworten Sie JA, wenn Sie in der Nähe sind.",
  fr: "Répondez OUI si vous êtes à proximité.",
  pl: "Odpowiedz TAK, jeśli jesteś w pobliżu.",
  tr: "Yakındaysanız EVET diye yanıt verin.",
  ar: "أرسلوا نعم إذا كنتم في المنطقة.",
  uk: "Надішліть ТАК, якщо ви поблизу.",
};
const TEXTS = {
  nl: { voice: "Gezocht: een man met een rode jas.", sms: "Gezocht: man met rode jas." },
  de: { voice: "Gesucht: ein Mann mit roter Jacke.", sms: "Gesucht: Mann mit roter Jacke." },
  fr: { voice: "Recherché : un homme en veste rouge.", sms: "Recherché : homme en veste rouge." },
  pl: { voice: "Poszukiwany: mężczyzna w czerwonej kurtce.", sms: "Poszukiwany: mężczyzna w czerwonej kurtce." },
  tr: { voice: "Aranıyor: kırmızı ceketli bir adam.", sms: "Aranıyor: kırmızı ceketli bir adam." },
  ar: { voice: "مطلوب: رجل يرتدي معطفاً أحمر.", sms: "مطلوب: رجل يرتدي معطفاً أحمر." },
  uk: { voice: "Розшукується чоловік у червоній куртці.", sms: "Розшукується чоловік у червоній куртці." },
};

describe("the presence question in every shipped language", () => {
  for (const lang of LANGUAGES)
    test(`${lang}: its script asks it in the call and answers the SMS replies in its own words`, () => {
      const script = scripts[lang]!;
      assert.ok(script.steps.presenceCheck && script.steps.presenceAway && script.menus.presence, lang);
      for (const name of ["presenceNear", "presenceAway", "conversationOpened"] as const)
        assert.ok(script.sms[name] && (lang === "nl" || script.sms[name] !== scripts.nl!.sms[name]), `${lang} ${name}`);
      assert.equal(script.translation.reviewedByNativeSpeaker, false, "nobody has checked them yet: say so");
    });

  test("yes and no in each language are answers, none of them a stop or erase keyword", () => {
    for (const lang of NEW) {
      assert.equal(
        parseSms(YES[lang]).kind === "presence" && (parseSms(YES[lang]) as { answer: string }).answer,
        "near",
      );
      assert.equal(parseSms(NO[lang]).kind === "presence" && (parseSms(NO[lang]) as { answer: string }).answer, "away");
    }
    for (const stop of ["STOP", "Stopp", "WYPISZ", "İptal", "توقف", "стоп"]) assert.equal(parseSms(stop).kind, "stop");
    assert.equal(parseSms("Nie widziałem go").kind, "tip");
  });
});

let s: Stack;
const phone = (lang: Language, i: number) => mobile(4700 + LANGUAGES.indexOf(lang) * 2 + i);

before(async () => {
  s = await startStack();
  await seedParticipants(
    s.db,
    NEW.flatMap((language) => [0, 1].map((i) => ({ phone: phone(language, i), ...dam, language, channels: ["sms"] }))),
  );
});
after(() => s.close());

const post = (url: string, payload: object) =>
  s.app.inject({ method: "POST", url, headers: bearer(s.keys.operator), payload });
const alert = (texts: object, extra: object = {}, center = dam) => ({
  kind: "suspect",
  channels: ["sms"],
  texts,
  area: { type: "circle", center, radiusMeters: 300 },
  ...extra,
});

async function reply(from: string, body: string) {
  const result = await s.emulator.sendSms({ from, to: BURGERNET, body });
  assert.equal(result.status, 200);
  return result.replies.map((r) => r.body);
}

describe("are you nearby now? by SMS, in the participant's language", () => {
  test("each is asked in their language and answered in it; their yes and no are counted", async () => {
    const res = await post("/v1/alerts", alert(TEXTS));
    assert.equal(res.statusCode, 201, res.body);
    for (const lang of NEW) {
      const [sent] = await eventually(
        async () => s.emulator.messagesTo(phone(lang, 0)).length > 0 && s.emulator.messagesTo(phone(lang, 0)),
      );
      assert.ok(sent.body.endsWith(` ${QUESTION[lang]}`), `${lang}: ${sent.body}`);
      const near = await reply(phone(lang, 0), YES[lang]);
      const thanks = scripts[lang]!.sms.presenceNear!.split("{callbackNumber}")[0].replace(/^Burgernet ?:/, "");
      assert.equal(near.length, 1, lang);
      assert.ok(near[0].includes(thanks), `${lang}: ${near[0]}`);
      await eventually(async () => s.emulator.messagesTo(phone(lang, 1)).length > 0);
      const away = await reply(phone(lang, 1), NO[lang]);
      assert.ok(away[0].includes(scripts[lang]!.sms.presenceAway!.replace(/^Burgernet ?:/, "")), `${lang}: ${away}`);
    }
    const got = (await s.app.inject({ url: `/v1/alerts/${res.json().id}`, headers: bearer(s.keys.operator) })).json();
    assert.deepEqual(got.presence, { near: 6, away: 6, unknown: 0 });
    const tips = await s.db.query("SELECT count(*)::int AS n FROM sightings WHERE alert_id = $1", [res.json().id]);
    assert.equal(tips.rows[0].n, 0, "no answer became a tip");
  });

  test("the cap counts the Arabic question in UCS-2: a text that fits without it is refused with it", async () => {
    let n = 60;
    while (outgoingSmsSegments("ب".repeat(n + 1), "ar").segments <= 3) n++;
    const text = "ب".repeat(n);
    assert.equal(outgoingSmsSegments(withPresenceQuestion(text, "ar", true), "ar").segments, 4);
    const texts = { nl: TEXTS.nl, ar: { voice: "x", sms: text } };
    const asked = await post("/v1/alerts/preview", alert(texts, { presenceCheck: true }));
    assert.equal(asked.statusCode, 400, asked.body);
    assert.equal(asked.json().error.code, "BN_VALIDATION");
    assert.equal(asked.json().error.details.path, "body/texts/ar/sms");
    assert.match(asked.json().error.message, /with the presence question/);
    assert.equal((await post("/v1/alerts/preview", alert(texts, { presenceCheck: false }))).statusCode, 200);
  });

  test("a Dutch text introduced in Ukrainian with the Ukrainian question must fit too: refused, nothing sent", async () => {
    const far = offset(dam, 5_000);
    const uk = mobile(4790);
    await seedParticipants(s.db, [{ phone: uk, ...far, language: "uk", channels: ["sms"] }]);
    // GSM-7 Dutch: 3 UCS-2 parts with the Ukrainian introduction, 4 with the question after it.
    const sms = "Gezocht: man met rode jas en zwarte fiets, richting station, ongeveer 30 jaar oud. ".repeat(2).trim();
    const asked = await post("/v1/alerts", alert({ nl: { voice: "x", sms } }, { presenceCheck: true }, far));
    assert.equal(asked.statusCode, 400, asked.body);
    assert.equal(asked.json().error.details.path, "body/texts/uk");
    assert.equal(asked.json().error.details.segments, 4);
    const preview = await post("/v1/alerts/preview", alert({ nl: { voice: "x", sms } }, { presenceCheck: false }, far));
    assert.equal(preview.statusCode, 200, preview.body);
    assert.equal(preview.json().fallback.byLanguage.uk.smsText.segments, 3);
    assert.equal(s.emulator.messagesTo(uk).length, 0);
  });
});
