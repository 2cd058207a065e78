import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { dutchFallback } from "../../src/languages/fallback.js";
import { smsBody, smsSegments, outgoingSmsSegments } from "../../src/rules/sms-segments.js";
import { smsSegments as carrierSegments } from "../../src/sim/segments.js";
import { parseSms, keywordLanguage } from "../../src/ivr/sms-parse.js";
import { smsReply } from "../../src/ivr/sms-reply.js";

const LRI = "\u2066";
const FSI = "\u2068";
const PDI = "\u2069";
const RLM = "\u200f";
const LRM = "\u200e";

describe("right-to-left SMS (Arabic)", () => {
  test("the Latin name is isolated, so the message reads right to left from its first Arabic letter", () => {
    const text = "مطلوب: رجل يرتدي معطفاً أحمر.";
    assert.equal(smsBody(text, "ar"), `${FSI}Burgernet${PDI}: ${text}`);
  });

  test("a phone number keeps its digits in order: isolated left to right; a lone number is left alone", () => {
    const body = smsBody("اتصلوا على 0900 8844 أو +31 20 123 4567. الطوارئ: 112.", "ar");
    assert.equal(
      body,
      `${FSI}Burgernet${PDI}: اتصلوا على ${LRI}0900 8844${PDI} أو ${LRI}+31 20 123 4567${PDI}. الطوارئ: 112.`,
    );
  });

  test("a number written as +31… without spaces is isolated whole, its plus sign before it", () => {
    assert.equal(
      smsBody("اتصلوا على +31201234567", "ar"),
      `${FSI}Burgernet${PDI}: اتصلوا على ${LRI}+31201234567${PDI}`,
    );
  });

  test("stray marks pasted with the text (RLM, LRM, an embedding never closed) are removed, not sent", () => {
    const pasted = `${RLM}مطلوب:${LRM} سيارة زرقاء\u202b`;
    assert.equal(smsBody(pasted, "ar"), `${FSI}Burgernet${PDI}: مطلوب: سيارة زرقاء`);
  });

  test("a text that already names Burgernet is not named twice; spaces around the text are not sent", () => {
    assert.equal(smsBody("Burgernet: مطلوب: سيارة", "ar"), `${FSI}Burgernet${PDI}: مطلوب: سيارة`);
    assert.equal(smsBody("  burgernet مطلوب  ", "ar"), `${FSI}Burgernet${PDI}: مطلوب`);
    assert.equal(smsBody("بلاغ من Burgernet: سيارة", "ar"), `${FSI}Burgernet${PDI}: بلاغ من Burgernet: سيارة`);
  });

  test("UCS-2 segments are counted on the body with its isolates, and the carrier counts the same", () => {
    // 11 characters of name and isolates + ": " = 13, then Arabic: 57 more fit one part of 70.
    const fits = "م".repeat(57);
    assert.deepEqual(outgoingSmsSegments(fits, "ar"), { encoding: "UCS-2", characters: 70, segments: 1 });
    const over = "م".repeat(58);
    assert.deepEqual(outgoingSmsSegments(over, "ar"), { encoding: "UCS-2", characters: 71, segments: 2 });
    // 3 parts of 67 = 201 units; a phone number's two isolates count.
    const three = `${"م".repeat(176)} 0900 8844`;
    const info = outgoingSmsSegments(three, "ar");
    assert.equal(info.characters, 13 + 176 + 1 + 2 + 9);
    assert.equal(info.segments, 3);
    assert.equal(carrierSegments(smsBody(three, "ar")), 3);
    assert.equal(outgoingSmsSegments(`${"م".repeat(177)} 0900 8844`, "ar").segments, 4);
  });

  test("a Dutch text sent to an Arabic participant: their sentence first, the Dutch text isolated left to right", () => {
    const intro = dutchFallback("ar")!.sms;
    const body = smsBody("Gezocht: man met rode jas. Bel 0900 8844.", "ar", { intro });
    assert.equal(body, `${FSI}Burgernet${PDI}: ${intro} ${LRI}Gezocht: man met rode jas. Bel 0900 8844.${PDI}`);
    assert.equal(smsSegments(body).encoding, "UCS-2");
    assert.equal(smsSegments(body).segments, carrierSegments(body));
  });

  test("an introduced Dutch text that already names Burgernet names it once, first", () => {
    const intro = "Nur auf Niederländisch:";
    const expected = "Burgernet: Nur auf Niederländisch: Gezocht: man.";
    for (const text of ["Burgernet: Gezocht: man.", "  Burgernet : Gezocht: man.  ", "Burgernet Gezocht: man."])
      assert.equal(smsBody(text, "de", { intro }), expected, JSON.stringify(text));
    assert.equal(
      smsBody("Tip voor Burgernet: man.", "de", { intro }),
      "Burgernet: Nur auf Niederländisch: Tip voor Burgernet: man.",
    );
  });

  test("a Dutch text sent in German stays GSM-7 when the introduction does", () => {
    const intro = dutchFallback("de")!.sms;
    assert.equal(intro, "Nur auf Niederländisch:");
    const info = outgoingSmsSegments("Gezocht: man met rode jas.", "de", { intro });
    assert.equal(info.encoding, "GSM-7", "ä is in the GSM-7 alphabet");
    assert.equal(smsBody("Gezocht: man.", "de", { intro }), "Burgernet: Nur auf Niederländisch: Gezocht: man.");
  });

  test("an SMS answer in Arabic isolates its phone number and postcode", () => {
    const out = smsReply("Burgernet: اتصلوا على {callbackNumber}. الرمز {postcode}.", "ar", {
      callbackNumber: "0970 1000 0000",
      postcode: "1234 AB",
    });
    assert.equal(out, `${FSI}Burgernet${PDI}: اتصلوا على ${LRI}0970 1000 0000${PDI}. الرمز ${LRI}1234 AB${PDI}.`);
    assert.equal(smsReply("Burgernet: {postcode}", "de", { postcode: "1234 AB" }), "Burgernet: 1234 AB");
  });
});

describe("SMS keywords in every language", () => {
  const rows: Array<[string, ReturnType<typeof parseSms>, string | undefined]> = [
    ["Stopp", { kind: "stop" }, "de"],
    ["abmelden!", { kind: "stop" }, "de"],
    ["löschen", { kind: "erase" }, "de"],
    ["Hilfe", { kind: "info", language: "de" }, "de"],
    ["UMZUG 1234", { kind: "move", postcode: "1234" }, "de"],
    ["arrêt", { kind: "stop" }, "fr"],
    ["Aide", { kind: "info", language: "fr" }, "fr"],
    ["wypisz", { kind: "stop" }, "pl"],
    ["usuń", { kind: "erase" }, "pl"],
    ["Pomoc", { kind: "info", language: "pl" }, "pl"],
    ["İPTAL", { kind: "stop" }, "tr"],
    ["dur", { kind: "stop" }, "tr"],
    ["başla", { kind: "start" }, "tr"],
    ["Yardım", { kind: "info", language: "tr" }, "tr"],
    ["توقف", { kind: "stop" }, "ar"],
    [`${RLM}الغاء`, { kind: "stop" }, "ar"],
    ["مساعدة", { kind: "info", language: "ar" }, "ar"],
    ["انتقال ١٢٣٤", { kind: "move", postcode: "1234" }, "ar"],
    ["Стоп", { kind: "stop" }, "uk"],
    ["відписатися", { kind: "stop" }, "uk"],
    ["ДОПОМОГА", { kind: "info", language: "uk" }, "uk"],
    ["переїзд 1234", { kind: "move", postcode: "1234" }, "uk"],
    ["STOP", { kind: "stop" }, undefined],
    ["١٢٣ ٤٥٦", { kind: "code", code: "123456" }, undefined],
    // A tip that happens to begin with a move word stays a tip.
    ["Move along: the man ran north", { kind: "tip", text: "Move along: the man ran north" }, "en"],
    ["Umzug wagen fuhr weg", { kind: "tip", text: "Umzug wagen fuhr weg" }, "de"],
  ];
  for (const [body, command, language] of rows) {
    test(`${JSON.stringify(body)} → ${command.kind}${language ? ` (${language})` : ""}`, () => {
      assert.deepEqual(parseSms(body), command);
      if (command.kind !== "tip") assert.equal(keywordLanguage(body), language);
    });
  }
});
