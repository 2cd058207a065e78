import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { eventually } from "../helpers/eventually.js";
import { dam, mobile, seedParticipants } from "../helpers/participants.js";
import type { Stack } from "../helpers/stack.js";
import { guardedPage, openConsole } from "./browser.js";

let stack: Stack;
let browser: Browser;
let opened: Awaited<ReturnType<typeof openConsole>> | undefined;
const polish = mobile(2960);
const german = mobile(2961);

before(async () => {
  ({ stack, browser } = opened = await openConsole());
});
after(() => opened?.close());

describe("texts in the other participant languages (Chromium)", () => {
  test("the operator adds a Polish text under 'other languages': the Pole gets it, the German the fallback", async () => {
    await seedParticipants(stack.db, [
      { phone: polish, ...dam, language: "pl", channels: ["sms"] },
      { phone: german, ...dam, language: "de", channels: ["sms"] },
    ]);
    const { page, problems } = await guardedPage(browser, stack.url);
    await page.goto(`${stack.url}/console`, { waitUntil: "networkidle" });
    await page.getByLabel("API-sleutel").fill(stack.keys.operator);
    await page.keyboard.press("Enter");
    await page.getByRole("tab", { name: "Nieuwe melding" }).click();
    await page.getByText("Cirkel (middelpunt en straal)").click();
    await page.getByLabel("Breedtegraad").fill(String(dam.lat));
    await page.getByLabel("Lengtegraad").fill(String(dam.lon));
    await page.getByLabel("Straal (m)").fill("300");
    await page.getByRole("button", { name: "OK" }).click();
    await page.getByLabel("Gesproken tekst").first().fill("De politie zoekt een meisje van acht jaar.");
    await page.getByLabel("SMS-tekst").first().fill("Politie zoekt meisje (8), gele jas.");

    const polishSms = page.getByLabel("Pools: SMS-tekst");
    assert.equal(await polishSms.isVisible(), false, "closed until the operator opens it");
    await page.getByText("Teksten in andere talen").click();
    await page.getByLabel("Pools: gesproken tekst").fill("Policja szuka ośmioletniej dziewczynki.");
    await polishSms.fill("Policja szuka dziewczynki (8), żółta kurtka.");
    assert.equal(await page.getByLabel("Arabisch: SMS-tekst").getAttribute("dir"), "rtl");

    await page.getByRole("button", { name: "Voorbeeld berekenen" }).click();
    await page.locator('.preview:not(.stale) [data-count="fallback"]').waitFor();
    assert.equal(await page.locator('.preview [data-count="fallback"]').innerText(), "1 (de 1)");
    assert.ok(await page.locator('.preview-lang[data-lang="pl"]').isVisible());
    await page.getByRole("button", { name: "Melding versturen" }).click();

    const [pl] = await eventually(
      async () => stack.emulator.messagesTo(polish).length > 0 && stack.emulator.messagesTo(polish),
    );
    assert.equal(pl.body, "Burgernet: Policja szuka dziewczynki (8), żółta kurtka.");
    const [de] = await eventually(
      async () => stack.emulator.messagesTo(german).length > 0 && stack.emulator.messagesTo(german),
    );
    assert.match(de.body, /^Burgernet: Nur auf Niederländisch: Politie zoekt meisje \(8\), gele jas\./);
    assert.deepEqual(problems, []);
  });
});
