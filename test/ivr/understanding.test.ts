import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadVoiceScripts } from "../../src/ivr/load-scripts.js";
import type { Flag } from "../../src/ivr/script-types.js";
import { parseSms } from "../../src/ivr/sms-parse.js";
import { chooseOption, normaliseText } from "../../src/ivr/speech.js";
import { speakPhone, writePhone } from "../../src/ivr/spoken.js";

const scripts = loadVoiceScripts();
const registered = new Set<Flag>(["registered"]);

function choice(
  lang: "nl" | "en",
  answer: { digits?: string; speech?: string; confidence?: number },
  flags = registered,
) {
  const script = lang === "nl" ? scripts.nl : scripts.en!;
  return chooseOption(script.menus.alert, flags, answer, script.speech.menuMinConfidence)?.choice ?? null;
}

describe("what the caller said", () => {
  const rows: Array<["nl" | "en", { digits?: string; speech?: string; confidence?: number }, string | null]> = [
    ["nl", { digits: "1" }, "connect"],
    ["nl", { digits: "2" }, "report"],
    ["nl", { digits: "3" }, "replay"],
    ["nl", { digits: "9" }, "unsubscribe"],
    ["nl", { digits: "5" }, null],
    ["nl", { speech: "Ja, ik heb iets gezien!" }, "report"],
    ["nl", { speech: "Herhaal" }, "replay"],
    ["nl", { speech: "nog een keer graag" }, "replay"],
    ["nl", { speech: "Afmelden" }, "unsubscribe"],
    ["nl", { speech: "Ik wil de meldkamer spreken" }, "connect"],
    ["nl", { speech: "Één" }, "connect"],
    ["nl", { speech: "twee" }, "report"],
    ["nl", { speech: "ik heb een man gezien bij de meldkamer" }, "report"],
    ["nl", { speech: "gezien", confidence: 0.2 }, null],
    ["nl", { speech: "wat zegt u" }, null],
    ["en", { speech: "Yes, I saw something" }, "report"],
    ["en", { speech: "Could you repeat that" }, "replay"],
    ["en", { speech: "unsubscribe me" }, "unsubscribe"],
    ["en", { speech: "put me through please" }, "connect"],
  ];
  for (const [lang, answer, expected] of rows) {
    test(`${lang} ${JSON.stringify(answer)} → ${expected}`, () => assert.equal(choice(lang, answer), expected));
  }

  test("options a caller is not offered cannot be chosen", () => {
    assert.equal(choice("nl", { digits: "9" }, new Set()), null);
    assert.equal(choice("nl", { digits: "4" }), null);
    assert.equal(choice("nl", { digits: "4" }, new Set<Flag>(["registered", "inbound"])), "postcode");
  });

  test("normalising drops case, accents and punctuation", () => {
    assert.equal(normaliseText("  Ja, ik HÉB iets gezien!! "), "ja ik heb iets gezien");
  });
});

describe("SMS keywords", () => {
  const rows: Array<[string, ReturnType<typeof parseSms>]> = [
    ["stop", { kind: "stop" }],
    [" Stoppen.", { kind: "stop" }],
    ["AFMELDÉN", { kind: "stop" }],
    ["start", { kind: "start" }],
    ["Aanmelden!", { kind: "start" }],
    ["info", { kind: "info" }],
    ["HELP?", { kind: "info", language: "en" }],
    ["123456", { kind: "code", code: "123456" }],
    ["123 456", { kind: "code", code: "123456" }],
    ["verhuis 1234", { kind: "move", postcode: "1234" }],
    ["Verhuis 1234 ab", { kind: "move", postcode: "1234 AB" }],
    ["VERHUIS", { kind: "move", postcode: "" }],
    ["stop die man!", { kind: "tip", text: "stop die man!" }],
    ["12345", { kind: "tip", text: "12345" }],
  ];
  for (const [body, expected] of rows)
    test(`${JSON.stringify(body)}`, () => assert.deepEqual(parseSms(body), expected));
});

describe("numbers for the ear and the eye", () => {
  test("a callback number is read digit by digit in national groups", () => {
    assert.equal(speakPhone("+3197010000000"), "0 9 7 0, 1 0 0, 0 0 0 0 0");
    assert.equal(speakPhone("+31201234567"), "0 2 0, 1 2 3, 4 5 6 7");
  });
  test("an SMS shows it in national format", () => {
    assert.equal(writePhone("+31201234567"), "020 123 4567");
  });
});
