import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { XmlParseError, elementsOf, parseXml, textOf } from "../../src/sim/twiml-parser.ts";

describe("TwiML parser", () => {
  it("reads elements, attributes, text, CDATA and the standard entities", () => {
    const doc = parseXml(
      `<?xml version="1.0" encoding="UTF-8"?>\n<!-- hi -->` +
        `<Response><Say language='nl-NL' voice="Polly.Lotte">Tom &amp; Jerry &lt;3 &#233;&#x20AC;</Say>` +
        `<Gather numDigits="1"/><Say><![CDATA[a < b]]></Say></Response>`,
    );
    assert.equal(doc.name, "Response");
    const [say, gather, cdata] = elementsOf(doc);
    assert.deepEqual(say.attrs, { language: "nl-NL", voice: "Polly.Lotte" });
    assert.equal(textOf(say), "Tom & Jerry <3 é€");
    assert.equal(gather.name, "Gather");
    assert.deepEqual(gather.children, []);
    assert.equal(textOf(cdata), "a < b");
  });

  for (const [name, xml] of [
    ["a DTD (no entity expansion)", `<!DOCTYPE r [<!ENTITY x "y">]><Response>&x;</Response>`],
    ["an unknown entity", "<Response>&nbsp;</Response>"],
    ["a bare ampersand", "<Response>a & b</Response>"],
    ["mismatched tags", "<Response><Say></Gather></Response>"],
    ["an unclosed element", "<Response><Say>"],
    ["two roots", "<Response/><Response/>"],
    ["duplicate attributes", `<Response><Say a="1" a="2"/></Response>`],
    ["unquoted attributes", "<Response><Say loop=2/></Response>"],
    ["empty input", ""],
  ] as const) {
    it(`refuses ${name}`, () => {
      assert.throws(() => parseXml(xml), XmlParseError);
    });
  }

  it("refuses absurd nesting", () => {
    assert.throws(() => parseXml("<a>".repeat(100) + "</a>".repeat(100)), XmlParseError);
  });
});
