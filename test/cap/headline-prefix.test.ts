import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { smsBody } from "../../src/rules/sms-segments.js";
import { toAlertInput, type CapMessage } from "../../src/cap/map.js";

function cap(headline: string): CapMessage {
  return {
    identifier: "NL-POL-1",
    sender: "meldkamer@politie.nl",
    sent: "2026-12-01T20:00:00+01:00",
    status: "Actual",
    msgType: "Alert",
    scope: "Public",
    references: [],
    infos: [
      {
        language: "nl-NL",
        categories: ["Rescue"],
        event: "Vermissing kind",
        urgency: "Immediate",
        severity: "Severe",
        headline,
        instruction: "Bel 112 als u hem ziet.",
        parameters: {},
        areas: [{ polygons: [], circles: ["52.3731,4.8926 1"], geocodes: {} }],
      },
    ],
  };
}

describe("a CAP headline that already names Burgernet", () => {
  for (const headline of ["Burgernet: Vermist kind, 8 jaar", "BURGERNET - Vermist kind, 8 jaar"]) {
    test(`"${headline}" goes out with "Burgernet" once, and is not read out twice`, () => {
      const { input } = toAlertInput(cap(headline), new Date("2026-12-01T19:00:00Z"));
      assert.equal(input.texts.nl.sms, "Vermist kind, 8 jaar. Bel 112 als u hem ziet.");
      assert.equal(smsBody(input.texts.nl.sms), "Burgernet: Vermist kind, 8 jaar. Bel 112 als u hem ziet.");
      assert.equal(input.texts.nl.voice, "Vermist kind, 8 jaar Bel 112 als u hem ziet.");
    });
  }

  test("a headline without it is kept as it is", () => {
    const { input } = toAlertInput(cap("Vermist kind"), new Date("2026-12-01T19:00:00Z"));
    assert.equal(input.texts.nl.sms, "Vermist kind. Bel 112 als u hem ziet.");
  });
});
