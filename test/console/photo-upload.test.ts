import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import sharp from "sharp";
import { dam, mobile, seedParticipants } from "../helpers/participants.js";
import { bearer, type Stack } from "../helpers/stack.js";
import { guardedPage, openConsole } from "./browser.js";

let stack: Stack;
let browser: Browser;
let opened: Awaited<ReturnType<typeof openConsole>> | undefined;

before(async () => {
  ({ stack, browser } = opened = await openConsole());
});
after(() => opened?.close());

describe("the photo of the watched alert (Chromium)", () => {
  test("the operator uploads a PNG and sees it stored; a file that is no image is refused with the reason", async () => {
    await seedParticipants(stack.db, [{ phone: mobile(2950), ...dam, channels: ["sms"] }]);
    const created = await stack.app.inject({
      method: "POST",
      url: "/v1/alerts",
      headers: bearer(stack.keys.operator),
      payload: {
        kind: "missing_person",
        channels: ["sms"],
        texts: { nl: { voice: "Vermist: een meisje van 8.", sms: "Vermist: meisje van 8, gele jas." } },
        area: { type: "circle", center: dam, radiusMeters: 300 },
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const alertId = created.json().id;
    const png = await sharp({ create: { width: 320, height: 240, channels: 3, background: "#c33" } })
      .png()
      .toBuffer();

    const { page, problems } = await guardedPage(browser, stack.url);
    await page.goto(`${stack.url}/console`, { waitUntil: "networkidle" });
    await page.getByLabel("API-sleutel").fill(stack.keys.operator);
    await page.keyboard.press("Enter");
    await page.getByRole("tab", { name: "Eerdere meldingen" }).click();
    await page.locator(".history button[name=open]").first().click();

    const field = page.getByLabel("Foto bij de sms (JPEG of PNG, tot 5 MB)");
    await field.setInputFiles({ name: "notes.png", mimeType: "image/png", buffer: Buffer.from("not an image at all") });
    await page.locator(".photo-result.error").waitFor();
    assert.match(await page.locator(".photo-result").innerText(), /^Foto geweigerd: .+/);
    const none = await stack.db.query("SELECT count(*)::int AS n FROM alert_photos WHERE alert_id = $1", [alertId]);
    assert.equal(none.rows[0].n, 0, "nothing stored");

    await field.setInputFiles({ name: "meisje.png", mimeType: "image/png", buffer: png });
    await page.locator(".photo-result", { hasText: "Foto opgeslagen" }).waitFor();
    assert.match(await page.locator(".photo-result").innerText(), /^Foto opgeslagen: 320 × 240 px, \d+ kB\.$/);
    assert.ok(!(await page.locator(".photo-result").getAttribute("class"))!.includes("error"));
    const stored = await stack.db.query("SELECT count(*)::int AS n FROM alert_photos WHERE alert_id = $1", [alertId]);
    assert.equal(stored.rows[0].n, 1);
    assert.deepEqual(problems, []);
  });
});
