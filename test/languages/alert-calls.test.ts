import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Stack } from "../helpers/stack.js";
import { dam, mobile, seedParticipants } from "../helpers/participants.js";
import { BURGERNET, callAlert, heard, seedAlert, seedDelivery, startIvrStack } from "../ivr/helpers.js";
import { loadVoiceScripts } from "../../src/ivr/load-scripts.js";
import { renderSteps } from "../../src/ivr/render.js";
import type { Language } from "../../src/languages/languages.js";
import type { TranscriptEntry } from "../../src/sim/index.js";

const scripts = loadVoiceScripts();
let stack: Stack;
let n = 0;

before(async () => {
  stack = await startIvrStack();
});
after(async () => {
  await stack.close();
});

async function setup(language: Language, texts: Partial<Record<Language, string>>) {
  const phone = mobile(4200 + n++);
  const [participantId] = await seedParticipants(stack.db, [{ phone, lat: dam.lat, lon: dam.lon, language }]);
  const alertId = await seedAlert(stack.db, { nl: "Gezocht: een man met een rode jas.", texts });
  const deliveryId = await seedDelivery(stack.db, { alertId, participantId, phone, language });
  return { phone, alertId, deliveryId };
}

const says = (t: readonly TranscriptEntry[]) =>
  t.flatMap((e) => (e.kind === "say" ? [{ text: e.text, voice: e.voice, language: e.language }] : []));

const OWN_TEXT: Record<Exclude<Language, "nl" | "en">, string> = {
  de: "Gesucht: ein Mann mit einer roten Jacke.",
  fr: "Recherché : un homme portant une veste rouge.",
  pl: "Poszukiwany: mężczyzna w czerwonej kurtce.",
  tr: "Aranıyor: kırmızı ceketli bir adam.",
  ar: "مطلوب: رجل يرتدي معطفاً أحمر.",
  uk: "Розшукується: чоловік у червоній куртці.",
};

describe("an alert call in the participant's own language", () => {
  for (const [lang, text] of Object.entries(OWN_TEXT) as Array<[Exclude<Language, "nl" | "en">, string]>) {
    test(`${lang}: the intro, the alert and the menu in ${scripts[lang]!.voice}, with no Twilio warning`, async () => {
      const script = scripts[lang]!;
      const { phone, deliveryId } = await setup(lang, { [lang]: text });
      // callAlert fails on any warning Twilio would log (13511/13321 voice, 13331/13334 speech model).
      const { transcript } = await callAlert(stack, deliveryId, phone, { answer: "human", script: [{ hangup: true }] });
      const said = says(transcript);
      const intro = script.steps.alert[0];
      assert.ok("say" in intro);
      assert.deepEqual(said[0], { text: intro.say, voice: script.voice, language: script.language });
      assert.deepEqual(said[1], { text, voice: script.voice, language: script.language });
      assert.equal(said[2].text, script.menus.alert.options[0].say);
    });
  }

  test("ar: no alert text in Arabic: one Arabic sentence introduces the Dutch text, read by the Dutch voice", async () => {
    const { phone, deliveryId } = await setup("ar", { de: OWN_TEXT.de });
    const { transcript } = await callAlert(stack, deliveryId, phone, { answer: "human", script: [{ hangup: true }] });
    const said = says(transcript);
    assert.deepEqual(said.slice(1, 3), [
      { text: scripts.ar!.dutchFallback!.say, voice: "Google.ar-XA-Wavenet-A", language: "ar-XA" },
      { text: "Gezocht: een man met een rode jas.", voice: "Polly.Laura-Neural", language: "nl-NL" },
    ]);
  });

  test("uk: key 2 asks for a spoken tip, heard by a model Twilio offers for Ukrainian, and stores it", async () => {
    const { phone, alertId, deliveryId } = await setup("uk", { uk: OWN_TEXT.uk });
    const spoken = "Чоловік у червоній куртці побіг до вокзалу";
    const { transcript } = await callAlert(stack, deliveryId, phone, {
      answer: "human",
      script: [{ digits: "2" }, { speech: spoken, confidence: 0.9 }],
    });
    assert.equal(heard(transcript).at(-1), "Дякуємо. Ваше повідомлення передано поліції. До побачення.");
    const rows = (await stack.db.query("SELECT transcript FROM sightings WHERE alert_id = $1", [alertId])).rows;
    assert.deepEqual(rows, [{ transcript: spoken }]);
  });

  test("ar: the menu takes keys only, and key 2 records the tip straight away", async () => {
    const { phone, alertId, deliveryId } = await setup("ar", { ar: OWN_TEXT.ar });
    const { transcript } = await callAlert(stack, deliveryId, phone, {
      answer: "human",
      script: [{ digits: "2" }, { record: { seconds: 12 } }],
    });
    const said = heard(transcript);
    assert.ok(said.includes((scripts.ar!.steps.recordTip[0] as { say: string }).say), "asked to record at once");
    assert.equal(said.at(-1), "شكراً لكم. تم إرسال بلاغكم إلى الشرطة. مع السلامة.");
    const rows = (
      await stack.db.query("SELECT recording_url, transcript FROM sightings WHERE alert_id = $1", [alertId])
    ).rows;
    assert.equal(rows.length, 1);
    assert.ok(rows[0].recording_url);
    assert.equal(rows[0].transcript, null);
  });
});

test("the Arabic menu listens for keys only; the German one for keys and speech, with its model", () => {
  const ctx = { vars: { alertText: "x", callbackNumber: "1" }, flags: new Set<never>(), action: "https://x/menu" };
  const ar = renderSteps(scripts.ar!, ["alertMenu"], ctx);
  assert.match(ar, /<Gather input="dtmf" numDigits="1" timeout="6" action/);
  assert.doesNotMatch(ar, /speechModel|hints/);
  const de = renderSteps(scripts.de!, ["alertMenu"], ctx);
  assert.match(de, /<Gather input="dtmf speech"[^>]* language="de-DE" speechModel="googlev2_telephony"/);
});

describe("an SMS to the Burgernet number in the citizen's own language", () => {
  const cases: Array<[Language, string, string]> = [
    [
      "de",
      "Stopp",
      "Burgernet: Sie sind abgemeldet und erhalten keine Aufrufe mehr. Wieder anmelden? Senden Sie START.",
    ],
    [
      "fr",
      "arrêt",
      "Burgernet : vous êtes désinscrit et ne recevrez plus d'appels à témoins. Pour vous réinscrire, envoyez START.",
    ],
    [
      "pl",
      "WYPISZ",
      "Burgernet: wypisaliśmy Cię, nie będziesz już dostawać komunikatów. Aby zapisać się ponownie, wyślij START.",
    ],
    [
      "tr",
      "iptal",
      "Burgernet: aboneliğiniz iptal edildi, artık çağrı almayacaksınız. Yeniden abone olmak için START gönderin.",
    ],
    [
      "uk",
      "стоп",
      "Burgernet: вас відписано, ви більше не отримуватимете звернень. Щоб підписатися знову, надішліть START.",
    ],
    [
      "ar",
      "توقف",
      "\u2068Burgernet\u2069: تم إلغاء اشتراككم ولن تتلقوا نداءات بعد الآن. للاشتراك من جديد أرسلوا START.",
    ],
  ];
  for (const [lang, word, answer] of cases) {
    test(`${lang}: ${word} unsubscribes and is answered in ${lang}`, async () => {
      const phone = mobile(4300 + n++);
      const [id] = await seedParticipants(stack.db, [{ phone, lat: dam.lat, lon: dam.lon, language: lang }]);
      const result = await stack.emulator.sendSms({ from: phone, to: BURGERNET, body: word });
      assert.equal(result.replies[0].body, answer);
      const row = (await stack.db.query("SELECT status FROM participants WHERE id = $1", [id])).rows[0];
      assert.equal(row.status, "unsubscribed");
    });
  }

  test("a stranger who asks for help in Ukrainian is answered in Ukrainian", async () => {
    const result = await stack.emulator.sendSms({ from: mobile(4399), to: BURGERNET, body: "Допомога" });
    assert.match(result.replies[0].body, /^Burgernet: звернення поліції поблизу вас\./);
  });
});
