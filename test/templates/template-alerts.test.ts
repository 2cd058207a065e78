import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eventually } from "../helpers/eventually.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";
import { bearer, startStack, type Stack } from "../helpers/stack.js";

let s: Stack;
const byVoice = mobile(7301);
const bySms = mobile(7302);
const english = mobile(7303);

before(async () => {
  s = await startStack();
  await seedParticipants(s.db, [
    { phone: byVoice, ...dam, channels: ["voice"] },
    { phone: bySms, ...offset(dam, 100), channels: ["sms"] },
    { phone: english, ...offset(dam, 200), channels: ["sms"], language: "en" },
  ]);
});
after(() => s.close());

const post = (url: string, payload: object) =>
  s.app.inject({ method: "POST", url, headers: bearer(s.keys.operator), payload });
const alertCount = async () => (await s.db.query("SELECT count(*)::int AS n FROM alerts")).rows[0].n as number;

const area = { type: "circle", center: dam, radiusMeters: 500 };
const vehicle = {
  id: "vehicle",
  fields: {
    vehicleMake: "Volkswagen Golf",
    colour: "grijs",
    licencePlate: "12abc3",
    lastSeenPlace: "de Dam",
    lastSeenAt: "21:40",
  },
};

describe("alerts from a template", () => {
  test("GET /v1/templates: five templates with typed fields and labels in Dutch and English", async () => {
    const res = await s.app.inject({ url: "/v1/templates", headers: bearer(s.keys.operator) });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(
      body.templates.map((t: { id: string; kind: string }) => `${t.id}:${t.kind}`),
      [
        "missing_child:missing_child",
        "missing_dementia:missing_person",
        "suspect:suspect",
        "vehicle:vehicle",
        "free:other",
      ],
    );
    const plate = body.templates[3].fields.find((f: { name: string }) => f.name === "licencePlate");
    const { label, ...typed } = plate;
    assert.deepEqual(typed, { name: "licencePlate", type: "licencePlate", required: true });
    assert.equal(label.nl, "Kenteken");
    assert.equal(label.en, "Licence plate");
    assert.equal((await s.app.inject({ url: "/v1/templates" })).statusCode, 401);
  });

  test("the preview shows every language's texts, SMS segments and spoken length; nothing is written", async () => {
    const res = await post("/v1/alerts/preview", { template: vehicle, channels: ["voice", "sms"], area });
    assert.equal(res.statusCode, 200, res.body);
    const p = res.json();
    assert.equal(p.kind, "vehicle");
    assert.equal(
      p.texts.nl.sms,
      "Gezocht: Volkswagen Golf, kleur grijs, kenteken 12-ABC-3. Laatst gezien: de Dam om 21:40. Gezien? Bel 112.",
    );
    assert.match(p.texts.nl.voice, /met kenteken <say-as interpret-as="spell-out">12-ABC-3<\/say-as>\. Laatst/);
    assert.match(p.texts.en.sms, /plate 12-ABC-3\. Last seen: de Dam at 21:40\./);
    assert.deepEqual(p.texts.nl.smsSegments, {
      encoding: "GSM-7",
      // As it goes out: a vehicle alert asks "are you nearby now?" by SMS too (issue 25).
      characters: "Burgernet: ".length + p.texts.nl.sms.length + " Antwoord JA als u in de buurt bent.".length,
      segments: 1,
    });
    assert.ok(p.texts.nl.spokenSeconds > 10 && p.texts.nl.spokenSeconds < 20, String(p.texts.nl.spokenSeconds));
    assert.equal(await alertCount(), 0);
  });

  test("a launched template alert spells the plate in the call and writes it as the RDW does in the SMS", async () => {
    const own = { voice: "Eigen tekst: let op een grijze Golf.", sms: "Let op: grijze Golf 12-ABC-3." };
    const res = await post("/v1/alerts", { template: vehicle, texts: { en: own }, channels: ["voice", "sms"], area });
    assert.equal(res.statusCode, 201, res.body);
    const a = res.json();
    assert.equal(a.kind, "vehicle");
    assert.deepEqual(a.texts.en, own, "the operator's own English text wins");
    assert.match(a.texts.nl.sms, /kenteken 12-ABC-3\./);

    const [sms] = await eventually(async () => s.emulator.messagesTo(bySms).length > 0 && s.emulator.messagesTo(bySms));
    assert.match(sms.body, /^Burgernet: Gezocht: Volkswagen Golf, kleur grijs, kenteken 12-ABC-3\./);
    const [en] = await eventually(
      async () => s.emulator.messagesTo(english).length > 0 && s.emulator.messagesTo(english),
    );
    assert.equal(en.body, "Burgernet: Let op: grijze Golf 12-ABC-3. Reply YES if you are nearby.");

    const call = await s.emulator.waitFor(() => s.emulator.callsTo(byVoice)[0]);
    const ended = await s.emulator.callEnded(call.sid);
    assert.equal(ended.warnings, undefined, JSON.stringify(ended.warnings));
    const said = ended.transcript.find((e) => e.kind === "say" && e.text.includes("kenteken"));
    assert.ok(said && said.kind === "say", JSON.stringify(ended.transcript));
    // Polly.Laura-Neural would read <say-as spell-out> in another voice: the plate is spelled in plain text instead.
    assert.match(said.text, /met kenteken 1 2, A B C, 3\. Laatst gezien bij de Dam om 21:40 uur\./);
    assert.equal(said.voiceFallback, undefined);
  });

  test("a wrong type, an unknown or missing field, an unknown template or plate: 400 naming it, nothing written", async () => {
    const before = await alertCount();
    const cases: Array<[object, string, RegExp]> = [
      [
        { id: "missing_child", fields: { age: "acht", clothing: "rode jas", lastSeenPlace: "Dam" } },
        "age",
        /whole number/,
      ],
      [
        { id: "missing_child", fields: { age: 8, clothing: "rode jas", lastSeenPlace: "Dam", shoe: "38" } },
        "shoe",
        /not a field/,
      ],
      [{ id: "missing_child", fields: { age: 8, lastSeenPlace: "Dam" } }, "clothing", /is required/],
      [{ id: "vehicle", fields: { ...vehicle.fields, licencePlate: "123456" } }, "licencePlate", /Dutch licence plate/],
      [{ id: "vehicle", fields: { ...vehicle.fields, lastSeenAt: "25:00" } }, "lastSeenAt", /hh:mm/],
      [{ id: "suspect", fields: { description: "man <b>", lastSeenPlace: "Dam" } }, "description", /must not contain/],
    ];
    for (const [template, field, message] of cases) {
      for (const url of ["/v1/alerts/preview", "/v1/alerts"]) {
        const res = await post(url, { template, channels: ["sms"], area });
        assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
        const err = res.json().error;
        assert.equal(err.code, "BN_VALIDATION");
        assert.equal(err.details.field, field);
        assert.equal(err.details.path, `body/template/fields/${field}`);
        assert.match(err.message, message);
      }
    }
    const unknown = await post("/v1/alerts", { template: { id: "kidnap", fields: {} }, channels: ["sms"], area });
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().error.details.path, "body/template/id");
    const neither = await post("/v1/alerts", { channels: ["sms"], area });
    assert.equal(neither.statusCode, 400);
    assert.equal(await alertCount(), before);
  });

  test("an edited voice text whose plate markup no longer fits is refused rather than read out as markup", async () => {
    for (const voice of [
      'Kenteken <say-as interpret-as="spell-out">12-abc-3</say-as>.',
      'Kenteken <say-as interpret-as="characters">12-ABC-3</say-as>.',
      'Kenteken <say-as interpret-as="spell-out">12-ABC-3.',
    ]) {
      const res = await post("/v1/alerts/preview", {
        template: vehicle,
        texts: { nl: { voice, sms: "Let op: grijze Golf 12-ABC-3." } },
        channels: ["voice"],
        area,
      });
      assert.equal(res.statusCode, 400, `${voice}: ${res.body}`);
      assert.equal(res.json().error.details.path, "body/texts/nl/voice");
    }
    const fine = await post("/v1/alerts/preview", {
      template: vehicle,
      texts: { nl: { voice: 'Kenteken <say-as interpret-as="spell-out">12-ABC-3</say-as>.', sms: "Let op." } },
      channels: ["voice"],
      area,
    });
    assert.equal(fine.statusCode, 200, fine.body);
    assert.equal(fine.json().texts.nl.spokenSeconds, 3.6);
  });

  test("a field that makes a text more than 3 SMS segments is named in the 400", async () => {
    const long = {
      name: "Johanna Wilhelmina Cornelia van der Heijden-Bakker",
      age: 84,
      clothing: "een lange donkerblauwe winterjas met capuchon, een grijze broek, een rode sjaal en bruine pantoffels",
      description:
        "klein postuur, kort grijs krullend haar, loopt met een rollator, bril met dik zwart montuur, spreekt vooral " +
        "Fries, reageert niet altijd op haar naam",
      lastSeenPlace: "het verzorgingshuis aan de Nieuwe Herengracht, ingang aan de kant van de Amstel",
      lastSeenAt: "18:15",
    };
    const res = await post("/v1/alerts/preview", {
      template: { id: "missing_dementia", fields: { ...long, name: long.name.slice(0, 40) } },
      channels: ["sms"],
      area,
    });
    assert.equal(res.statusCode, 400, res.body);
    const err = res.json().error;
    assert.match(err.details.path, /^body\/texts\/(nl|en)\/sms$/);
    assert.equal(err.details.field, "description", "the longest value");
    assert.ok(err.details.segments > 3);
    assert.match(err.message, /the template field description makes it too long/);

    // A name outside GSM-7 makes the whole SMS UCS-2 (67 characters a part): that field is named.
    const polish = await post("/v1/alerts/preview", {
      template: {
        id: "missing_child",
        fields: {
          name: "Łukasz",
          age: 8,
          clothing: long.clothing,
          description: long.description,
          lastSeenPlace: "Dam",
        },
      },
      channels: ["sms"],
      area,
    });
    assert.equal(polish.statusCode, 400, polish.body);
    assert.equal(polish.json().error.details.field, "name");
    assert.equal(polish.json().error.details.encoding, "UCS-2");
  });
});
