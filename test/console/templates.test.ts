import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { mobile, seedParticipants } from "../helpers/participants.js";
import { bearer, type Stack } from "../helpers/stack.js";
import { guardedPage, mapCentre, openConsole, screenshot } from "./browser.js";

let stack: Stack;
let browser: Browser;
let page: Page;
let guard: Awaited<ReturnType<typeof guardedPage>>;
let opened: Awaited<ReturnType<typeof openConsole>> | undefined;

before(async () => {
  ({ stack, browser } = opened = await openConsole());
  guard = await guardedPage(browser, stack.url);
  page = guard.page;
});
after(() => opened?.close());

const alerts = async () =>
  (await stack.app.inject({ method: "GET", url: "/v1/alerts", headers: bearer(stack.keys.operator) })).json();

describe("operator console: an alert from a template, in Chromium", () => {
  test("from an empty page to a launched vehicle alert: fields, texts in every language, preview, launch", async () => {
    const failed: string[] = [];
    page.on("response", (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
    await page.goto(`${stack.url}/console`, { waitUntil: "networkidle" });
    await page.getByLabel("API-sleutel").fill(stack.keys.operator);
    await page.keyboard.press("Enter");
    await page.locator('.unit[data-region="RE05"]').waitFor();
    await page.locator(".live-state.up").waitFor();
    assert.deepEqual(failed, [], "the page loads without a failed request");

    await page.getByLabel("Sjabloon", { exact: true }).selectOption({ label: "Voertuig" });
    await page.getByLabel(/^Merk en type/).fill("Volkswagen Golf");
    await page.getByLabel(/^Kleur/).fill("grijs");
    await page.getByLabel(/^Kenteken/).fill("12abc3");
    await page.getByLabel(/^Laatst gezien \(plaats\)/).fill("de Dam");
    const sms = page.getByLabel("SMS-tekst").first();
    assert.equal(
      await sms.inputValue(),
      "Gezocht: Volkswagen Golf, kleur grijs, kenteken 12-ABC-3. Laatst gezien: de Dam. Gezien? Bel 112.",
    );
    assert.match(await page.getByLabel("SMS-tekst").nth(1).inputValue(), /plate 12-ABC-3\. Last seen: de Dam\./);
    assert.equal(await page.getByLabel("Soort").inputValue(), "vehicle");

    // Draw the area; two participants close to its centre.
    const c = await mapCentre(page);
    await page.getByRole("button", { name: "Cirkel tekenen" }).click();
    await page.mouse.click(c.x, c.y);
    await page.mouse.move(c.x + 30, c.y, { steps: 4 });
    await page.mouse.move(c.x + 60, c.y, { steps: 4 });
    await page.mouse.click(c.x + 60, c.y);
    const lat = Number(await page.getByLabel("Breedtegraad").inputValue());
    const lon = Number(await page.getByLabel("Lengtegraad").inputValue());
    await seedParticipants(stack.db, [
      { phone: mobile(9301), lat, lon, channels: ["sms"] },
      { phone: mobile(9302), lat: lat + 0.0004, lon, channels: ["sms"], language: "en" },
    ]);

    // A plate that is none: the service's 400 is shown next to that field; nothing is sent.
    await page.getByLabel(/^Kenteken/).fill("123456");
    await page.getByRole("button", { name: "Voorbeeld berekenen" }).click();
    await page.locator("#err-template-licencePlate:not([hidden])").waitFor();
    assert.match(await page.locator("#err-template-licencePlate").innerText(), /Dutch licence plate.*BN_VALIDATION/);
    assert.equal(await page.getByLabel(/^Kenteken/).getAttribute("aria-invalid"), "true");
    await page.getByLabel(/^Kenteken/).fill("12 abc 3");

    // The operator edits the Dutch SMS: that edit is what goes out; English stays the template's.
    await sms.fill("Let op: grijze Volkswagen Golf, kenteken 12-ABC-3, bij de Dam. Gezien? Bel 112.");
    await page.getByRole("button", { name: "Voorbeeld berekenen" }).click();
    await page.locator('.preview:not(.stale) .preview-lang[data-lang="en"]').waitFor();
    assert.equal(await page.locator('.preview [data-count="sms"]').innerText(), "2");
    assert.match(
      await page.locator('.preview-lang[data-lang="nl"] .sms').innerText(),
      /^SMS: Let op: grijze Volkswagen/,
    );
    assert.match(
      await page.locator('.preview-lang[data-lang="nl"] .voice').innerText(),
      /met kenteken 1 2, A B C, 3\./,
    );
    assert.match(await page.locator('.preview-lang[data-lang="en"] .sms').innerText(), /plate 12-ABC-3/);
    assert.match(
      await page.locator('[data-figures="en"]').innerText(),
      /1 SMS-deel · \d+ tekens · GSM-7 · ± [\d.]+ s gesproken/,
    );
    await screenshot(page, "10-template-preview");
    assert.equal((await alerts()).length, 0, "a preview sends nothing");

    await page.getByRole("button", { name: "Melding versturen" }).click();
    await page.locator('.watch [data-count="total"]').filter({ hasText: "2" }).waitFor();
    const [a] = await alerts();
    assert.equal(a.kind, "vehicle");
    assert.equal(a.texts.nl.sms, "Let op: grijze Volkswagen Golf, kenteken 12-ABC-3, bij de Dam. Gezien? Bel 112.");
    assert.match(a.texts.en.sms, /^Wanted: Volkswagen Golf, colour grijs, plate 12-ABC-3\./);
    await stack.emulator.waitFor(() => stack.emulator.messagesTo(mobile(9302))[0]);
    assert.match(stack.emulator.messagesTo(mobile(9302))[0].body, /plate 12-ABC-3/);
    await screenshot(page, "11-template-launched");
  });

  test("nothing left the origin and no script failed", () => {
    assert.deepEqual(guard.offOrigin, []);
    assert.deepEqual(guard.problems, []);
  });
});
