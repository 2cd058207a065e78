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
const TIP = "Ik zag een meisje met een gele jas bij de tramhalte";

before(async () => {
  ({ stack, browser } = opened = await openConsole());
  guard = await guardedPage(browser, stack.url);
  page = guard.page;
});
after(() => opened?.close());

const alertCount = async () =>
  (await stack.app.inject({ method: "GET", url: "/v1/alerts", headers: bearer(stack.keys.operator) })).json().length;

async function drawCircle(dx: number) {
  const c = await mapCentre(page);
  await page.getByRole("button", { name: "Cirkel tekenen" }).click();
  await page.mouse.click(c.x, c.y);
  await page.mouse.move(c.x + dx / 2, c.y, { steps: 4 });
  await page.mouse.move(c.x + dx, c.y, { steps: 4 });
  await page.mouse.click(c.x + dx, c.y);
}

async function fillTexts(sms = "Politie zoekt meisje (8), gele jas. Gezien? Bel 112.") {
  await page.getByLabel("Gesproken tekst").first().fill("De politie zoekt een meisje van acht jaar met een gele jas.");
  await page.getByLabel("SMS-tekst").first().fill(sms);
}

describe("operator console in Chromium", () => {
  test("sign in with the API key: the unit and its municipalities on the map, the key never in a URL", async () => {
    // The page loads without a failed request.
    const failed: string[] = [];
    const onResponse = (r: { status(): number; url(): string }) => r.status() >= 400 && failed.push(r.url());
    page.on("response", onResponse);
    await page.goto(`${stack.url}/console`, { waitUntil: "networkidle" });
    assert.deepEqual(failed, []);
    assert.equal(await page.getByLabel("API-sleutel").count(), 1);
    await page.getByRole("button", { name: "Language: English" }).click();
    assert.equal(await page.getByLabel("API key").count(), 1);
    await page.getByRole("button", { name: "Taal: Nederlands" }).click();
    await page.getByLabel("API-sleutel").fill("bn_ope_wrong");
    await page.getByRole("button", { name: "Inloggen" }).click();
    await page.locator("#sign-in-error:not([hidden])").waitFor();
    await page.getByLabel("API-sleutel").fill(stack.keys.operator);
    await page.keyboard.press("Enter");
    await page.locator('.unit[data-region="RE05"]').waitFor();
    assert.match(await page.locator(".unit").innerText(), /Amsterdam/);
    // Six municipalities drawn as map paths, plus the unit's outline.
    assert.equal(await page.locator(".leaflet-overlay-pane path").count(), 7);
    await page.locator(".live-state.up").waitFor();
    page.off("response", onResponse);
    // Only the deliberately wrong key's 401; and the page names its icon, so no browser asks for /favicon.ico.
    assert.deepEqual(
      failed.map((u) => new URL(u).pathname),
      ["/v1/regions"],
    );
    assert.match((await page.locator('link[rel="icon"]').getAttribute("href")) ?? "", /^data:image\/svg\+xml,/);
    const stored = await page.evaluate(() => ({
      session: sessionStorage.getItem("burgernet.console.key"),
      local: JSON.stringify(localStorage),
    }));
    assert.equal(stored.session, stack.keys.operator);
    assert.ok(!stored.local.includes(stack.keys.operator));
    assert.ok(!page.url().includes(stack.keys.operator));
    assert.ok(guard.sockets.length > 0 && guard.sockets.every((u) => !u.includes(stack.keys.operator)));
    // Every control has a label (or an aria-label) a screen reader can announce.
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll("input, select, textarea")]
        .filter((el) => !(el as HTMLInputElement).labels?.length && !el.getAttribute("aria-label"))
        .map((el) => el.outerHTML),
    );
    assert.deepEqual(unlabelled, []);
    // Focus is visible: the keyboard's focus ring is drawn.
    await page.keyboard.press("Tab");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    assert.equal(outline, "solid");
    await screenshot(page, "01-signed-in");
    await page.getByRole("button", { name: "Language: English" }).click();
    await page.getByRole("tab", { name: "New alert" }).waitFor();
    assert.equal(await page.getByLabel("SMS text").first().count(), 1);
    await screenshot(page, "01-english");
    await page.getByRole("button", { name: "Taal: Nederlands" }).click();
    await page.getByRole("tab", { name: "Nieuwe melding" }).waitFor();
    await page.locator(".live-state.up").waitFor();
  });

  test("draw a circle, preview, launch: progress and a citizen's spoken tip arrive live", async () => {
    await drawCircle(60);
    const lat = Number(await page.getByLabel("Breedtegraad").inputValue());
    const lon = Number(await page.getByLabel("Lengtegraad").inputValue());
    const radius = Number(await page.getByLabel("Straal (m)").inputValue());
    assert.ok(radius > 200, `radius ${radius}`);
    // Five participants close to the drawn centre; the nearest answers, presses 2 and speaks a tip.
    // The farthest speaks Polish: the alert has no Polish text, so the preview counts one Dutch fallback.
    const people = [0, 1, 2, 3, 4].map((i) => ({
      phone: mobile(9100 + i),
      lat: lat + i * 0.0004,
      lon,
      language: i === 4 ? ("pl" as const) : ("nl" as const),
    }));
    await seedParticipants(stack.db, people);
    stack.emulator.setPersona(people[0].phone, {
      answer: "human",
      script: [{ digits: "2" }, { speech: TIP, confidence: 0.91 }],
    });
    // The next one mumbles, and is asked to record the tip instead.
    stack.emulator.setPersona(people[1].phone, {
      answer: "human",
      script: [{ digits: "2" }, { speech: "rode jas bij ehm", confidence: 0.3 }, { record: { seconds: 4 } }],
    });
    await fillTexts();
    await page.getByLabel("SMS", { exact: true }).uncheck();
    const counter = await page.locator(".counter").first().innerText();
    assert.match(counter, /1 SMS-deel · 52 tekens · GSM-7/);
    await page.getByRole("button", { name: "Voorbeeld berekenen" }).click();
    await page.locator('.preview [data-count="voice"]').waitFor();
    assert.equal(await page.locator('.preview [data-count="voice"]').innerText(), "5");
    assert.equal(await page.locator('.preview [data-count="sms"]').innerText(), "0");
    assert.equal(await page.locator('.preview [data-count="fallback"]').innerText(), "1 (pl 1)");
    // The emulator's prices (src/sim/pricing.ts): 5 calls × 0.116 + 5 closing SMS × 0.099 = 1.075 USD × 0.92.
    assert.equal(await page.locator('.preview [data-count="cost"]').innerText(), "€ 0,99");
    await screenshot(page, "02-preview");
    assert.equal(await alertCount(), 0, "a preview sends nothing");

    await page.getByRole("button", { name: "Melding versturen" }).click();
    await page.locator('.watch [data-count="total"]').filter({ hasText: "5" }).waitFor();
    await page.locator(".tip .transcript", { hasText: TIP }).waitFor({ timeout: 90_000 });
    const meta = await page.locator(".tip", { hasText: TIP }).locator(".meta").innerText();
    assert.match(meta, /91% zekerheid/);
    assert.match(meta, /afstand \d+ m/);
    await page.locator('.watch [data-count="reached"]').filter({ hasText: "5" }).waitFor({ timeout: 90_000 });
    const recorded = page.locator(".tip", { hasText: "rode jas bij ehm" });
    await recorded.waitFor({ timeout: 90_000 });
    const times = await page.locator(".tip").evaluateAll((els) => els.map((e) => e.getAttribute("data-created")!));
    assert.equal(times.length, 2);
    assert.deepEqual(times, [...times].sort().reverse(), "newest first");
    await recorded.getByRole("button", { name: "▶ Opname" }).click();
    await recorded.locator("audio").waitFor();
    assert.equal(await page.locator(".watch progress").getAttribute("aria-valuetext"), "5 / 5");
    await screenshot(page, "03-live-with-tip");
  });

  test("send a follow-up: everyone reached gets it once, by SMS", async () => {
    await page.locator(".update-box summary", { hasText: "Aanvulling sturen" }).click();
    await page.getByLabel("Nieuwe gesproken tekst").fill("Het meisje draagt nu een blauwe muts.");
    await page.getByLabel("Nieuwe sms-tekst").fill("Update: meisje (8) draagt nu een blauwe muts. Gezien? Bel 112.");
    assert.ok(await page.getByLabel("Ook naar iedereen die al bereikt is (één keer)").isChecked(), "on by default");
    await page.getByRole("button", { name: "Aanvulling versturen" }).click();
    await page.locator(".update-form [role=status]", { hasText: "Aanvulling verstuurd naar 5" }).waitFor();
    const people = [0, 1, 2, 3, 4].map((i) => mobile(9100 + i));
    const updates = (phone: string) =>
      stack.emulator.messagesTo(phone).filter((m) => m.body.includes("blauwe muts")).length;
    await stack.emulator.waitFor(() => people.every((p) => updates(p) === 1));
    await screenshot(page, "03b-follow-up");
  });

  test("close the alert with an outcome and a closing message", async () => {
    await page.locator(".close-box summary", { hasText: "Afsluiten" }).click();
    await page.getByLabel("Uitkomst").selectOption("found");
    await page.getByLabel("Afsluitend bericht aan iedereen die bereikt is").fill("Het meisje is gevonden. Dank u wel!");
    await page.getByRole("button", { name: "Afsluiten en bericht sturen" }).click();
    await page.locator('.watch [data-status="closed"]').waitFor();
    await screenshot(page, "04-closed");
  });

  test("pick a municipality, launch and cancel that alert", async () => {
    await page.getByRole("tab", { name: "Nieuwe melding" }).click();
    await page.getByLabel("Gemeente", { exact: true }).selectOption({ label: "Diemen" });
    assert.match(await page.locator("#area-summary").innerText(), /Diemen/);
    await page.getByRole("button", { name: "Voorbeeld berekenen" }).click();
    await page.locator('.preview:not(.stale) [data-count="voice"]').waitFor();
    await page.getByRole("button", { name: "Melding versturen" }).click();
    await page.locator('.watch [data-status="active"], .watch [data-status="dispatching"]').first().waitFor();
    await page.getByRole("button", { name: "Annuleren" }).click();
    await page.getByRole("button", { name: "Melding annuleren? Er wordt daarna niets meer verstuurd." }).click();
    await page.locator('.watch [data-status="cancelled"]').waitFor();
    await screenshot(page, "05-cancelled");
  });

  test("bad input shows the API's error next to the field and sends nothing", async () => {
    await page.getByRole("tab", { name: "Nieuwe melding" }).click();
    const before = await alertCount();
    const launch = page.getByRole("button", { name: "Melding versturen" });

    // A polygon that crosses itself (a bow tie).
    const c = await mapCentre(page);
    await page.getByRole("button", { name: "Veelhoek tekenen" }).click();
    for (const [dx, dy] of [
      [-50, -50],
      [50, 50],
      [50, -50],
      [-50, 50],
      [-50, -50],
    ])
      await page.mouse.click(c.x + dx, c.y + dy);
    assert.match(await page.locator("#area-summary").innerText(), /Veelhoek met 4 punten/);
    await page.getByRole("button", { name: "Voorbeeld berekenen" }).click();
    await page.locator("#err-area:not([hidden])").waitFor();
    assert.match(await page.locator("#err-area").innerText(), /crosses itself.*BN_INVALID_AREA/);
    assert.ok(await launch.isDisabled());
    await screenshot(page, "06-self-crossing");

    // An SMS of 4 segments.
    await drawCircle(40);
    await fillTexts("Politie zoekt meisje. ".repeat(22));
    await page.getByLabel("SMS", { exact: true }).check();
    assert.match(await page.locator(".counter.over").first().innerText(), /4 SMS-delen/);
    await page.getByRole("button", { name: "Voorbeeld berekenen" }).click();
    await page.locator("#err-texts-nl-sms:not([hidden])").waitFor();
    assert.match(await page.locator("#err-texts-nl-sms").innerText(), /4 segments; at most 3/);
    assert.equal(await page.getByLabel("SMS-tekst").first().getAttribute("aria-invalid"), "true");
    assert.ok(await launch.isDisabled());
    await screenshot(page, "07-sms-too-long");

    // An English voice text without its SMS: the schema's error opens the folded English section.
    await fillTexts();
    await page.locator("summary", { hasText: "Teksten in het Engels" }).click();
    await page.getByLabel("Gesproken tekst").nth(1).fill("Police are looking for a girl of eight.");
    await page.locator("summary", { hasText: "Teksten in het Engels" }).click(); // folded again
    await page.getByRole("button", { name: "Voorbeeld berekenen" }).click();
    await page.locator("#err-texts-en-sms:not([hidden])").waitFor();
    assert.ok(await page.locator("#err-texts-en-sms").isVisible());
    assert.match(await page.locator("#err-texts-en-sms").innerText(), /BN_VALIDATION/);
    await page.getByLabel("Gesproken tekst").nth(1).fill("");

    // An area in another police unit (Rotterdam), typed into the circle fields.
    await page.getByText("Cirkel (middelpunt en straal)").click();
    await page.getByLabel("Breedtegraad").fill("51.9225");
    await page.getByLabel("Lengtegraad").fill("4.47917");
    await page.getByLabel("Straal (m)").fill("1000");
    await page.getByRole("button", { name: "OK" }).click();
    await page.getByRole("button", { name: "Voorbeeld berekenen" }).click();
    await page.locator("#err-area:not([hidden])").waitFor();
    assert.match(await page.locator("#err-area").innerText(), /BN_AREA_OUTSIDE_REGION/);
    assert.ok(await launch.isDisabled());
    await screenshot(page, "08-outside-unit");
    assert.equal(await alertCount(), before, "nothing was created");
  });

  test("past alerts with their report and a CSV download", async () => {
    await page.getByRole("tab", { name: "Eerdere meldingen" }).click();
    await page.locator("ul.history li[data-alert]").nth(1).waitFor();
    assert.equal(await page.locator("ul.history li[data-alert]").count(), 2);
    const closed = page.locator("ul.history li", { has: page.locator('[data-status="closed"]') });
    await closed.getByRole("button", { name: "Rapport" }).click();
    await closed.locator("dl.report").waitFor();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      closed.getByRole("button", { name: "CSV downloaden" }).click(),
    ]);
    const csv = await (await download.createReadStream()).toArray();
    const text = Buffer.concat(csv).toString("utf8");
    // A header, the five calls, the five follow-ups and the five closing messages.
    assert.equal(text.trim().split("\n").length, 16);
    assert.match(text, /update/);
    assert.match(text, /closing/);
    assert.ok(!text.includes(mobile(9100)), "phone numbers are masked");
    await screenshot(page, "09-past-alerts");
  });

  test("nothing left the origin and no script failed", () => {
    assert.deepEqual(guard.offOrigin, []);
    assert.deepEqual(guard.problems, []);
  });
});
