import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";
import { bearer, type Stack } from "../helpers/stack.js";
import { guardedPage, openConsole, screenshot } from "./browser.js";

let stack: Stack;
let browser: Browser;
let page: Page;
let guard: Awaited<ReturnType<typeof guardedPage>>;
let opened: Awaited<ReturnType<typeof openConsole>> | undefined;
const TIP = "Een grijze bestelbus reed net de Damstraat in";

before(async () => {
  ({ stack, browser } = opened = await openConsole());
  guard = await guardedPage(browser, stack.url);
  page = guard.page;
});
after(() => opened?.close());

/** An alert started outside this console: a colleague's key, the dispatch system's API client or CAP. */
async function alertFromElsewhere(kind: string, at: { lat: number; lon: number }) {
  const res = await stack.app.inject({
    method: "POST",
    url: "/v1/alerts",
    headers: bearer(stack.keys.operator),
    payload: {
      kind,
      channels: ["voice"],
      texts: { nl: { voice: "Let op een grijze bestelbus.", sms: "Let op een grijze bestelbus." } },
      area: { type: "circle", center: at, radiusMeters: 300 },
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id as string;
}

describe("operator console, Live view: alerts started elsewhere and tips on the map", () => {
  test("an alert started elsewhere appears in the Live view by itself, with a notice; its tip on the map", async () => {
    const failed: string[] = [];
    page.on("response", (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
    await page.goto(`${stack.url}/console`, { waitUntil: "networkidle" });
    await page.getByLabel("API-sleutel").fill(stack.keys.operator);
    await page.keyboard.press("Enter");
    await page.locator(".live-state.up").waitFor();
    assert.deepEqual(failed, [], "the page loads without a failed request");
    await page.getByRole("tab", { name: "Live" }).click();
    await page.getByText("Geen melding geselecteerd").waitFor();

    // The nearest participant answers, says they are nearby (1: a vehicle alert asks), presses 2 and speaks a tip;
    // registered with postcode 1011.
    const phone = mobile(9401);
    await seedParticipants(stack.db, [{ phone, ...offset(dam, 50) }]);
    const script = [{ digits: "1" }, { digits: "2" }, { speech: TIP, confidence: 0.9 }];
    stack.emulator.setPersona(phone, { answer: "human", script });
    const id = await alertFromElsewhere("vehicle", dam);

    const notice = page.locator(".incoming:not([hidden])");
    await notice.waitFor();
    assert.match(await notice.innerText(), /Nieuwe melding in uw eenheid: Voertuig, gestart om \d\d:\d\d/);
    assert.equal(await notice.locator(`[data-alert="${id}"]`).count(), 1);
    await page.locator('.watch [data-status="active"], .watch [data-status="dispatching"]').first().waitFor();
    assert.equal(await page.getByText("Geen melding geselecteerd").isVisible(), false);

    await page.locator(".tip .transcript", { hasText: TIP }).waitFor({ timeout: 90_000 });
    const marker = page.locator("path.tip-marker");
    await marker.waitFor();
    assert.equal(await marker.count(), 1);
    await marker.hover();
    assert.match(await page.locator(".leaflet-tooltip").last().innerText(), /postcodegebied.*1011 Amsterdam/);
    await screenshot(page, "12-live-incoming-with-tip");
  });

  test("while following a live alert, another one only announces itself, and opens on request", async () => {
    const id = await alertFromElsewhere("suspect", offset(dam, 3000));
    const notice = page.locator(`.incoming:not([hidden]) [data-alert="${id}"]`);
    await notice.waitFor();
    assert.match(await page.locator(".incoming").innerText(), /Verdachte/);
    assert.match(await page.locator(".watch h2").innerText(), /^Voertuig/, "the followed alert stays");
    await page.getByRole("button", { name: "Openen" }).click();
    await page.locator(".watch h2", { hasText: "Verdachte" }).waitFor();
    assert.equal(await page.locator(".incoming").isHidden(), true);
  });

  test("nothing left the origin (no base-map tiles by default) and no script failed", () => {
    assert.deepEqual(guard.offOrigin, []);
    assert.deepEqual(guard.problems, []);
  });
});
