import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { outgoingSmsSegmentsWithLink } from "../../src/rules/sms-segments.js";
import { eventually } from "../helpers/eventually.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";
import { capturedLogger } from "../helpers/log-capture.js";
import { bearer, startStack, type Stack } from "../helpers/stack.js";
import { cameraJpeg } from "./images.js";

let s: Stack;
const log = capturedLogger("debug");
const nl = mobile(2601);
const en = mobile(2602);
const NL_SMS = "Gezocht: man, 30 jaar, rode jas, richting Centraal Station. Zie de foto. Tips: bel 0900-8844.";
const EN_SMS = "Wanted: man, 30, red coat, heading for Central Station. See the photo. Tips: call 0900-8844.";

before(async () => {
  s = await startStack({ logger: log.logger });
  await seedParticipants(s.db, [
    { phone: nl, ...dam, channels: ["sms"] },
    { phone: en, ...offset(dam, 100), channels: ["sms"], language: "en" },
  ]);
});
after(() => s.close());

const op = (method: "POST" | "GET", url: string, payload?: object) =>
  s.app.inject({ method, url, headers: bearer(s.keys.operator), ...(payload ? { payload } : {}) });

function tokenIn(body: string): string {
  const m = new RegExp(`^Burgernet: .+ ${s.url}/p/([A-Za-z0-9_-]{22})$`).exec(body);
  assert.ok(m, `the SMS ends with the photo link: ${body}`);
  return m[1];
}

describe("the SMS links to a page with the photo, per delivery", () => {
  let alertId: string;
  const tokens: Record<string, string> = {};

  test("an alert with a photo sends each SMS its own link, within 3 segments", async () => {
    const created = await op("POST", "/v1/alerts", {
      kind: "suspect",
      presenceCheck: false,
      channels: ["sms"],
      dispatch: false,
      texts: { nl: { voice: "Gezocht.", sms: NL_SMS }, en: { voice: "Wanted.", sms: EN_SMS } },
      area: { type: "circle", center: dam, radiusMeters: 500 },
    });
    alertId = created.json().id;
    const put = await s.app.inject({
      method: "PUT",
      url: `/v1/alerts/${alertId}/photo`,
      headers: { ...bearer(s.keys.operator), "content-type": "image/jpeg" },
      payload: await cameraJpeg(),
    });
    assert.equal(put.statusCode, 200, put.body);
    assert.equal((await op("POST", `/v1/alerts/${alertId}/dispatch`)).statusCode, 200);
    for (const [phone, text, lang] of [
      [nl, NL_SMS, "nl"],
      [en, EN_SMS, "en"],
    ] as const) {
      const [sms] = await eventually(
        async () => s.emulator.messagesTo(phone).length > 0 && s.emulator.messagesTo(phone),
      );
      tokens[lang] = tokenIn(sms.body);
      assert.ok(sms.body.startsWith(`Burgernet: ${text} `));
      assert.equal(sms.numSegments, outgoingSmsSegmentsWithLink(text, lang, s.config.publicUrl).segments);
      assert.ok(sms.numSegments <= 3);
    }
    assert.notEqual(tokens.nl, tokens.en, "a token per delivery");
    assert.equal(Buffer.from(tokens.nl, "base64url").length, 16, "128 bits");
  });

  test("the page shows the text and the photo: no cookie, nothing from elsewhere, a strict CSP", async () => {
    const page = await s.app.inject({ url: `/p/${tokens.nl}` });
    assert.equal(page.statusCode, 200, page.body);
    assert.match(String(page.headers["content-type"]), /^text\/html/);
    assert.equal(page.headers["set-cookie"], undefined);
    const csp = String(page.headers["content-security-policy"]);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /img-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /script-src|unsafe-inline|https?:/);
    assert.equal(page.headers["referrer-policy"], "no-referrer");
    assert.ok(page.body.includes(NL_SMS.replace("'", "&#39;")));
    assert.ok(page.body.includes(`<img src="${tokens.nl}/photo"`));
    assert.doesNotMatch(page.body, /https?:\/\/|<script|<link|<form|src="\//, "no request to anyone else");
    const img = await s.app.inject({ url: `/p/${tokens.nl}/photo` });
    assert.equal(img.statusCode, 200);
    assert.equal(img.headers["content-type"], "image/jpeg");
    assert.equal(img.rawPayload.subarray(0, 3).toString("hex"), "ffd8ff");
    const english = await s.app.inject({ url: `/p/${tokens.en}` });
    assert.match(english.body, /<html lang="en">/);
    assert.ok(english.body.includes("Wanted: man, 30"));
  });

  test("an unknown or malformed token: 404, nothing counted", async () => {
    for (const t of ["AAAAAAAAAAAAAAAAAAAAAA", "x", "..%2F..%2Fetc%2Fpasswd", tokens.nl.slice(1)]) {
      const res = await s.app.inject({ url: `/p/${t}` });
      assert.equal(res.statusCode, 404, t);
      assert.equal(res.headers["set-cookie"], undefined);
    }
    assert.equal((await s.app.inject({ url: "/p/%00" })).statusCode, 400, "a NUL is refused as everywhere");
  });

  test("each opening is counted for its delivery; the report says how many opened it", async () => {
    await s.app.inject({ url: `/p/${tokens.nl}` });
    assert.equal((await s.app.inject({ method: "HEAD", url: `/p/${tokens.en}` })).statusCode, 200);
    const report = (await op("GET", `/v1/alerts/${alertId}/report`)).json();
    assert.deepEqual(report.photo, { links: 2, opened: 2, views: 3 });
    const rows = (
      await s.db.query(
        `SELECT d.language, l.views FROM delivery_photo_links l JOIN deliveries d ON d.id = l.delivery_id
          ORDER BY d.language DESC`,
      )
    ).rows;
    assert.deepEqual(rows, [
      { language: "nl", views: 2 },
      { language: "en", views: 1 },
    ]);
  });

  test("after the alert is closed: 410, and the photo is deleted", async () => {
    const closed = await op("POST", `/v1/alerts/${alertId}/close`, { outcome: "found", message: "Gevonden, dank u." });
    assert.equal(closed.statusCode, 200, closed.body);
    for (const url of [`/p/${tokens.nl}`, `/p/${tokens.nl}/photo`]) {
      const res = await s.app.inject({ url });
      assert.equal(res.statusCode, 410, url);
      assert.equal(res.headers["set-cookie"], undefined);
    }
    assert.equal((await s.db.query("SELECT count(*)::int AS n FROM alert_photos")).rows[0].n, 0);
    const closing = await eventually(async () => s.emulator.messagesTo(nl)[1]);
    assert.doesNotMatch(closing.body, /\/p\//, "the closing message carries no link");
  });

  test("a link's token is never written to the logs, at any level", () => {
    const lines = log.lines.join("\n");
    for (const token of Object.values(tokens)) assert.equal(lines.includes(token), false);
    assert.ok(
      log.lines.some((l) => l.includes('"url":"/p/•••"')),
      "the page's requests are logged without it",
    );
  });
});
