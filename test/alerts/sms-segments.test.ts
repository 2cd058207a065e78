import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  outgoingSmsSegments,
  outgoingSmsSegmentsWithLink,
  photoLink,
  smsBody,
  smsBodyWithLink,
  smsSegments,
} from "../../src/rules/sms-segments.js";
import { smsSegments as emulatorSegments } from "../../src/sim/segments.js";

const a = (n: number) => "a".repeat(n);
const l = (n: number) => "ł".repeat(n); // not in GSM-7: forces UCS-2

// [what, body, encoding, characters (septets / UTF-16 units), segments]
const table: Array<[string, string, "GSM-7" | "UCS-2", number, number]> = [
  ["160 septets fit one SMS", a(160), "GSM-7", 160, 1],
  ["161 septets need two parts", a(161), "GSM-7", 161, 2],
  ["306 = 2 × 153", a(306), "GSM-7", 306, 2],
  ["459 = 3 × 153", a(459), "GSM-7", 459, 3],
  ["460 septets need a fourth part", a(460), "GSM-7", 460, 4],
  ["€ is an escape pair: 80 of them fit one SMS", "€".repeat(80), "GSM-7", 160, 1],
  [
    "an escape pair is never split: 152a€151a€152a is 459 septets, 4 parts",
    `${a(152)}€${a(151)}€${a(152)}`,
    "GSM-7",
    459,
    4,
  ],
  ["the same pairs away from the boundaries: 3 parts", `€€${a(455)}`, "GSM-7", 459, 3],
  ["70 UCS-2 units fit one SMS", l(70), "UCS-2", 70, 1],
  ["71 units need two parts", l(71), "UCS-2", 71, 2],
  ["201 = 3 × 67", l(201), "UCS-2", 201, 3],
  ["an emoji is a surrogate pair, never split: 66ł😀66ł is 134 units, 3 parts", `${l(66)}😀${l(66)}`, "UCS-2", 134, 3],
  ["one emoji makes the whole body UCS-2", `${a(69)}😀`, "UCS-2", 71, 2],
  ["a form feed is a GSM-7 escape pair", `${a(158)}\f`, "GSM-7", 160, 1],
  ["so is a backslash", `${a(159)}\\`, "GSM-7", 161, 2],
];

describe("SMS segments, counted as carriers count them", () => {
  for (const [what, body, encoding, characters, segments] of table) {
    test(what, () => {
      assert.deepEqual(smsSegments(body), { encoding, characters, segments });
      // The emulator counts on its own, the way Twilio bills: the two must agree.
      assert.equal(emulatorSegments(body), segments);
    });
  }
});

describe("the outgoing SMS body", () => {
  test('starts with "Burgernet: " once', () => {
    assert.equal(smsBody("Gezocht: man, rode jas."), "Burgernet: Gezocht: man, rode jas.");
    assert.equal(smsBody("Wanted: man, red coat.", "en"), "Burgernet: Wanted: man, red coat.");
    assert.equal(smsBody("Burgernet: Vermist kind."), "Burgernet: Vermist kind.");
    assert.equal(smsBody("BURGERNET – Vermist kind."), "BURGERNET – Vermist kind.");
    assert.equal(smsBody("Burgernetwerk zoekt een man."), "Burgernet: Burgernetwerk zoekt een man.");
  });

  test("a text that already starts with the name goes out trimmed; the name later on is no prefix", () => {
    assert.equal(smsBody("  Burgernet: Vermist kind.\n"), "Burgernet: Vermist kind.");
    assert.equal(smsBody("Let op, Burgernet zoekt een man."), "Burgernet: Let op, Burgernet zoekt een man.");
    assert.equal(smsBody("#Burgernet zoekt een man."), "Burgernet: #Burgernet zoekt een man.");
  });

  test("is what is counted: 449 characters of text go out as 460 septets, 4 parts, not 3", () => {
    assert.equal(smsSegments(a(449)).segments, 3);
    assert.deepEqual(outgoingSmsSegments(a(449)), { encoding: "GSM-7", characters: 460, segments: 4 });
  });
});

describe("the photo link at the end of an alert SMS", () => {
  const url = "https://burgernet.example.nl"; // 28 characters: the link is 28 + 3 + 22 = 53
  const token = "AbC-_9".padEnd(22, "x");

  test("is PUBLIC_URL/p/<token>, after the prefixed text and one space", () => {
    assert.equal(photoLink(url, token), `${url}/p/${token}`);
    assert.equal(smsBodyWithLink("Gezocht.", "nl", photoLink(url, token)), `Burgernet: Gezocht. ${url}/p/${token}`);
    assert.equal(smsBodyWithLink("Gezocht.", "nl", null), "Burgernet: Gezocht.");
  });

  test("is counted as it goes out: 394 characters of text fit 3 parts with it, 395 need a fourth", () => {
    // "Burgernet: " 11 + text + " " 1 + link 53 = 459 for a text of 394.
    assert.deepEqual(outgoingSmsSegmentsWithLink(a(394), "nl", url), {
      encoding: "GSM-7",
      characters: 459,
      segments: 3,
    });
    assert.equal(outgoingSmsSegmentsWithLink(a(395), "nl", url).segments, 4);
    assert.equal(
      outgoingSmsSegmentsWithLink(a(394), "nl", url).characters,
      smsSegments(smsBodyWithLink(a(394), "nl", photoLink(url, token))).characters,
      "any token counts the same: base64url is single septets",
    );
  });

  test("keeps a UCS-2 text in UCS-2 and adds the link's 54 units", () => {
    const info = outgoingSmsSegmentsWithLink(l(10), "nl", url);
    assert.deepEqual(info, { encoding: "UCS-2", characters: 11 + 10 + 1 + 53, segments: 2 });
  });
});
