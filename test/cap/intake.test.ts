import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { capSchema } from "../../src/cap/xsd.js";
import { parseXml } from "../../src/cap/xml.js";
import { bearer, createTestDb, keysFor, startApp, type TestDb } from "../webhooks/harness.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/cap/${name}`, import.meta.url), "utf8");
const dir = (name: string) =>
  readdirSync(new URL(`../fixtures/cap/${name}/`, import.meta.url)).map((f) => `${name}/${f}`);

let db: TestDb;
let app: FastifyInstance;
let keys: Awaited<ReturnType<typeof keysFor>>;

before(async () => {
  db = await createTestDb();
  app = await startApp({ db, webhooks: { enabled: false } });
  keys = await keysFor(db);
});
after(async () => {
  await app.close();
  await db.drop();
});

function post(xml: string, opts: { key?: string; type?: string } = {}) {
  return app.inject({
    method: "POST",
    url: "/v1/cap",
    headers: { ...bearer(opts.key ?? keys.operator), "content-type": opts.type ?? "application/cap+xml" },
    payload: xml,
  });
}

const alertCount = async () => (await db.query("SELECT count(*)::int AS n FROM alerts")).rows[0].n as number;

describe("CAP 1.2 schema", () => {
  for (const f of dir("samples")) {
    test(`the OASIS schema accepts ${f}`, () => {
      assert.deepEqual(capSchema().validate(parseXml(fixture(f))), []);
    });
  }

  test("the schema refuses the negative sample for its missing <scope>", () => {
    assert.deepEqual(capSchema().validate(parseXml(fixture("negative/google_invalid.xml"))), [
      { path: "/alert", message: "found <info> where <scope> is expected" },
    ]);
  });

  test("enumerations, the dateTime pattern, order and unknown elements are all checked", () => {
    const base = fixture("nl_alert_circle.xml");
    const cases: [string, string, RegExp][] = [
      ["<status>Actual</status>", "<status>Real</status>", /not one of Actual/],
      ["<sent>2026-05-01T14:02:00+02:00</sent>", "<sent>2026-05-01T14:02:00Z</sent>", /does not match the pattern/],
      ["<sent>2026-05-01T14:02:00+02:00</sent>", "<sent>yesterday</sent>", /not a valid dateTime/],
      [
        "<urgency>Immediate</urgency>\n    <severity>Severe</severity>",
        "<severity>Severe</severity>\n    <urgency>Immediate</urgency>",
        /expected/,
      ],
      ["<scope>Public</scope>", "<scope>Public</scope><colour>red</colour>", /not expected here/],
      [
        "<identifier>BN-TEST-CIRCLE-1</identifier>",
        '<identifier lang="nl">BN-TEST-CIRCLE-1</identifier>',
        /attribute lang/,
      ],
    ];
    for (const [from, to, message] of cases) {
      const errors = capSchema().validate(parseXml(base.replace(from, to)));
      assert.ok(
        errors.some((e) => message.test(e.message)),
        `${to}: ${JSON.stringify(errors)}`,
      );
    }
  });
});

describe("POST /v1/cap", () => {
  test("an Alert with a circle creates a dispatching alert from the Dutch and English info blocks", async () => {
    const res = await post(fixture("nl_alert_circle.xml"));
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    assert.equal(body.action, "created");
    assert.equal(body.duplicate, false);
    const a = (await db.query("SELECT * FROM alerts WHERE id = $1", [body.alertIds[0]])).rows[0];
    assert.equal(a.source, "cap");
    assert.equal(a.cap_identifier, "BN-TEST-CIRCLE-1");
    assert.equal(a.cap_sender, "meldkamer-amsterdam@politie.example");
    assert.equal(a.region_code, "RE05");
    assert.equal(a.status, "dispatching");
    assert.equal(a.kind, "missing_child");
    assert.equal(a.priority, "urgent");
    assert.deepEqual(a.area, { type: "circle", center: { lat: 52.3731, lon: 4.8926 }, radiusMeters: 2000 });
    assert.equal(
      a.texts.nl.voice,
      "vermist meisje Dam Meisje van 7 jaar, blond haar, rode jas, sinds 13:30 vermist bij de Dam. Gezien? Bel 112.",
    );
    // The headline's "Burgernet: " is dropped: the SMS gets it once when sent, the call's intro says it already.
    assert.equal(a.texts.nl.sms, "vermist meisje Dam. Gezien? Bel 112.");
    assert.match(a.texts.en.sms, /missing girl/);
    const hours = (a.expires_at.getTime() - a.created_at.getTime()) / 3_600_000;
    assert.ok(hours > 23.9 && hours <= 24.01, "capped at 24 h");
  });

  test("the same Alert again is answered as before and creates nothing (identifier + sender)", async () => {
    const before = await alertCount();
    const res = await post(fixture("nl_alert_circle.xml"), { type: "application/xml" });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().duplicate, true);
    assert.equal(await alertCount(), before);
  });

  test("an Update referencing it changes the texts of the running alert", async () => {
    const id = (await db.query("SELECT id FROM alerts WHERE cap_identifier = 'BN-TEST-CIRCLE-1'")).rows[0].id;
    const update = fixture("nl_alert_circle.xml")
      .replace("<identifier>BN-TEST-CIRCLE-1</identifier>", "<identifier>BN-TEST-CIRCLE-1-UPDATE</identifier>")
      .replace("<sent>2026-05-01T14:02:00+02:00</sent>", "<sent>2026-05-01T14:20:00+02:00</sent>")
      .replace("<msgType>Alert</msgType>", "<msgType>Update</msgType>")
      .replace(
        "<scope>Public</scope>",
        "<scope>Public</scope>\n  " +
          "<references>meldkamer-amsterdam@politie.example,BN-TEST-CIRCLE-1,2026-05-01T14:02:00+02:00</references>",
      )
      .replace("blond haar, rode jas", "blond haar, groene jas");
    const res = await post(update);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { msgType: "Update", action: "updated", alertIds: [id], duplicate: false });
    const a = (await db.query("SELECT texts, status FROM alerts WHERE id = $1", [id])).rows[0];
    assert.match(a.texts.nl.voice, /groene jas/);
    assert.equal(a.status, "dispatching");
  });

  test("a Cancel referencing it cancels the alert, once", async () => {
    const id = (await db.query("SELECT id FROM alerts WHERE cap_identifier = 'BN-TEST-CIRCLE-1'")).rows[0].id;
    const res = await post(fixture("nl_cancel.xml"));
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { msgType: "Cancel", action: "cancelled", alertIds: [id], duplicate: false });
    assert.equal((await db.query("SELECT status FROM alerts WHERE id = $1", [id])).rows[0].status, "cancelled");
    const again = await post(fixture("nl_cancel.xml"));
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().duplicate, true);
    const cancelled = (
      await db.query("SELECT count(*)::int AS n FROM events WHERE alert_id = $1 AND type = 'alert.cancelled'", [id])
    ).rows[0].n;
    assert.equal(cancelled, 1);
  });

  test("a Test message with a prefixed namespace and a polygon is stored as a draft: nobody is called", async () => {
    const res = await post(fixture("nl_alert_polygon_test.xml"));
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().action, "drafted");
    const a = (await db.query("SELECT * FROM alerts WHERE id = $1", [res.json().alertIds[0]])).rows[0];
    assert.equal(a.status, "draft");
    assert.equal(a.kind, "suspect");
    assert.equal(a.priority, "normal");
    assert.equal(a.area.type, "Polygon", "kept as GeoJSON, as the API's polygons");
    assert.deepEqual(a.area.coordinates[0][0], [4.9, 52.36], "CAP lat,lon becomes GeoJSON lon,lat");
    assert.equal(a.texts.nl.sms, "Burgernet: man, zwarte jas, scooter richting Oost. Gezien? Bel 112.");
    assert.equal(
      (await db.query("SELECT count(*)::int AS n FROM deliveries WHERE alert_id = $1", [a.id])).rows[0].n,
      0,
    );
  });

  test("an admin key gets the region from the area", async () => {
    const xml = fixture("nl_alert_circle.xml")
      .replace(/BN-TEST-CIRCLE-1/g, "BN-ADMIN-1")
      .replace("52.3731,4.8926 2", "51.9225,4.4792 1")
      .replace("52.3731,4.8926 2", "51.9225,4.4792 1");
    const res = await post(xml, { key: keys.admin });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(
      (await db.query("SELECT region_code FROM alerts WHERE id = $1", [res.json().alertIds[0]])).rows[0].region_code,
      "RE07",
    );
  });

  test("the shared samples are valid CAP but cannot become Burgernet alerts: 422, nothing stored", async () => {
    const before = await alertCount();
    for (const f of dir("samples")) {
      const res = await post(fixture(f));
      assert.equal(res.statusCode, 422, `${f}: ${res.body}`);
      assert.match(res.json().error.code, /^BN_CAP_UNSUPPORTED$|^BN_CAP_UNKNOWN_REFERENCE$/, f);
    }
    assert.equal(await alertCount(), before);
  });

  test("bad input gets a clear 4xx and stores nothing", async () => {
    const before = await alertCount();
    const circle = fixture("nl_alert_circle.xml").replace(/BN-TEST-CIRCLE-1/g, "BN-BAD");
    const cases: [string, number, string, { type?: string; key?: string }?][] = [
      [fixture("negative/google_invalid.xml"), 400, "BN_CAP_INVALID"],
      [fixture("attack_xxe.xml"), 400, "BN_CAP_UNSAFE"],
      [fixture("attack_billion_laughs.xml"), 400, "BN_CAP_UNSAFE"],
      [fixture("attack_xinclude.xml"), 400, "BN_CAP_UNSAFE"],
      [circle.replace("<scope>Public</scope>", "<?evil x?><scope>Public</scope>"), 400, "BN_CAP_UNSAFE"],
      [circle.replace("</alert>", ""), 400, "BN_CAP_MALFORMED"],
      ["", 400, "BN_CAP_MALFORMED"],
      [circle.replace(/52\.3731,4\.8926 2/g, "50.8467,4.3525 2"), 422, "BN_OUTSIDE_NETHERLANDS"],
      [circle.replace(/<circle>[^<]*<\/circle>/g, ""), 422, "BN_CAP_UNSUPPORTED"],
      [
        circle.replace(
          "<circle>52.3731,4.8926 2</circle>",
          "<circle>52.3731,4.8926 2</circle><circle>52.3,4.8 1</circle>",
        ),
        422,
        "BN_CAP_UNSUPPORTED",
      ],
      [circle.replace("2099-01-01T00:00:00+01:00", "2020-01-01T00:00:00+01:00"), 422, "BN_CAP_UNSUPPORTED"],
      [
        circle.replace("<scope>Public</scope>", "<scope>Restricted</scope><restriction>meldkamer</restriction>"),
        422,
        "BN_CAP_UNSUPPORTED",
      ],
      [circle.replace("<language>nl-NL</language>", "<language>de-DE</language>"), 422, "BN_CAP_UNSUPPORTED"],
      [fixture("nl_cancel.xml").replace(/BN-TEST-CIRCLE-1/g, "BN-NEVER-SEEN"), 422, "BN_CAP_UNKNOWN_REFERENCE"],
      [circle.replace("</alert>", `<note>${"x".repeat(200 * 1024)}</note></alert>`), 413, "BN_BODY_TOO_LARGE"],
      [circle, 415, "BN_UNSUPPORTED_MEDIA_TYPE", { type: "text/plain" }],
      [circle, 403, "BN_FORBIDDEN", { key: "registration" }],
    ];
    for (const [xml, status, code, opts] of cases) {
      const res = await post(xml, {
        type: opts?.type,
        key: opts?.key === "registration" ? keys.registration : undefined,
      });
      assert.equal(res.statusCode, status, `${code}: ${res.body.slice(0, 300)}`);
      assert.equal(res.json().error.code, code, res.body.slice(0, 300));
    }
    assert.equal(await alertCount(), before);
    assert.equal(
      (
        await db.query(
          "SELECT count(*)::int AS n FROM cap_messages WHERE identifier LIKE 'BN-BAD%' OR sender = 'attacker'",
        )
      ).rows[0].n,
      0,
    );
  });

  test("a schema error names where it is", async () => {
    const res = await post(
      fixture("nl_alert_circle.xml").replace("<urgency>Immediate</urgency>", "<urgency>Now</urgency>"),
    );
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json().error.details[0], {
      path: "/alert/info[1]/urgency",
      message: '"Now" is not one of Immediate, Expected, Future, Past, Unknown',
    });
  });
});
