import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import type { Stack } from "../helpers/stack.js";
import { seedAnalytics } from "../analytics/seed.js";
import { guardedPage, openConsole, screenshot } from "./browser.js";

let stack: Stack;
let browser: Browser;
let opened: Awaited<ReturnType<typeof openConsole>> | undefined;

before(async () => {
  ({ stack, browser } = opened = await openConsole({ dispatch: { autoStart: false } }));
  await seedAnalytics(stack.db);
});
after(() => opened?.close());

test("the analytics page: the unit's figures as bars and a table, and the same as CSV", async () => {
  const { page, problems, offOrigin } = await guardedPage(browser, stack.url);
  await page.goto(`${stack.url}/console`);
  await page.getByLabel("API-sleutel").fill(stack.keys.operator);
  await page.keyboard.press("Enter");
  await page.getByRole("tab", { name: "Analyse" }).click();
  await page.getByLabel("Van", { exact: true }).fill("2026-11-02");
  await page.getByLabel("Tot", { exact: true }).fill("2026-11-02");
  await page.getByLabel("Per", { exact: true }).selectOption("unit");
  await page.getByRole("button", { name: "Tonen" }).click();

  const row = page.locator('.analytics-table tr[data-key="RE05"]');
  await row.waitFor();
  const figure = (name: string) => row.locator(`[data-figure="${name}"]`).innerText();
  assert.equal(await figure("alerts"), "2");
  assert.equal(await figure("reachedPct"), "35.7");
  assert.equal(await figure("tipsPer1000Reached"), "600");
  assert.equal(await figure("medianSecondsToFirstTip"), "95");
  assert.equal(await figure("eyesInArea"), "2");
  assert.equal(await figure("costPerAlertEur"), "0.17");
  assert.equal(await page.locator('.analytics-table tr[data-key="RE01"]').count(), 0, "an operator sees their unit");
  // The chart drew bars: the canvas is no longer blank.
  const inked = await page.locator(".analytics canvas").evaluate((c: HTMLCanvasElement) => {
    const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  });
  assert.ok(inked > 1000, `${inked} pixels drawn`);
  await screenshot(page, "11-analytics");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "CSV downloaden" }).click(),
  ]);
  assert.equal(download.suggestedFilename(), "analytics-by-unit.csv");
  const lines = readFileSync((await download.path())!, "utf8")
    .trim()
    .split("\r\n");
  assert.equal(lines.length, 3);
  assert.equal(lines[1], "unit,RE05,false,2,14,5,35.7,10,2,20,2,3,600,2,95,1,1,100,0.34,0.17,0.11");
  assert.deepEqual(problems, []);
  assert.deepEqual(offOrigin, []);
});
