import assert from "node:assert/strict";
import { test } from "node:test";
import { assertFitsWithLink } from "../../src/photos/service.js";
import { appendLink, photoLink, smsBody, smsSegments } from "../../src/rules/sms-segments.js";
import { withPresenceQuestion } from "../../src/presence/sms-question.js";

const url = "https://burgernet.example";

test("an alert SMS that asks 'are you nearby?' and carries the photo link counts both against the 3 segments", () => {
  // Fits 3 segments with the link alone (the upload test's bound), not once the question is added as well.
  const text = "a".repeat(370);
  assert.doesNotThrow(() => assertFitsWithLink({ nl: { sms: text } }, ["sms"], url, false));
  assert.throws(
    () => assertFitsWithLink({ nl: { sms: text } }, ["sms"], url, true),
    (err: { code?: string; details?: { segments?: number } }) =>
      err.code === "BN_VALIDATION" && err.details?.segments === 4,
  );
});

test("the body as sent: text, the question, then the link, whose count is the one checked", () => {
  const link = photoLink(url, "A".repeat(22));
  const body = appendLink(withPresenceQuestion(smsBody("Gezocht: man in rode jas."), "nl", true), "nl", link);
  assert.equal(body, `Burgernet: Gezocht: man in rode jas. Antwoord JA als u in de buurt bent. ${link}`);
  assert.equal(smsSegments(body).segments, 1);
});
