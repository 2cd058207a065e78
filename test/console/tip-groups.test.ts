import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";
import type { Stack } from "../helpers/stack.js";
import { BURGERNET, seedAlert, seedDelivery } from "../ivr/helpers.js";
import { guardedPage, openConsole, screenshot } from "./browser.js";

let stack: Stack;
let browser: Browser;
let opened: Awaited<ReturnType<typeof openConsole>> | undefined;

before(async () => {
  ({ stack, browser } = opened = await openConsole({ dispatch: { autoStart: false } }));
});
after(() => opened?.close());

/** A citizen the alert reached by SMS, `east` metres east of the Dam, texting a tip back. */
async function smsTip(alertId: string, i: number, text: string, east: number) {
  const phone = mobile(9500 + i);
  const [participantId] = await seedParticipants(stack.db, [{ phone, ...offset(dam, east) }]);
  await seedDelivery(stack.db, { alertId, participantId, phone, channel: "sms" });
  const sent = await stack.emulator.sendSms({ from: phone, to: BURGERNET, body: text });
  assert.match(sent.replies[0]?.body ?? "", /uw tip is doorgegeven/);
}

test("the console shows three tips naming one plate as one group, an unrelated tip apart, each on the map", async () => {
  const alertId = await seedAlert(stack.db, { kind: "vehicle", nl: "Gezocht: grijze auto, kenteken 12-ABC-3." });
  // The area as the API stores it (the IVR helper's is enough for calls, not for the console's map).
  await stack.db.query("UPDATE alerts SET area = $2 WHERE id = $1", [
    alertId,
    JSON.stringify({ type: "circle", center: dam, radiusMeters: 5000 }),
  ]);
  // Callers 2 km apart: only the plate ties the three together.
  await smsTip(alertId, 0, "Ik zag de 12-ABC-3 bij het station", 0);
  await smsTip(alertId, 1, "twaalf a b c drie rijdt richting Noord", 2000);
  await smsTip(alertId, 2, "kenteken 12abc3 staat nu stil", 4000);
  await smsTip(alertId, 3, "Verdachte man op een fiets", -2500);

  const { page, problems, offOrigin } = await guardedPage(browser, stack.url);
  await page.goto(`${stack.url}/console`);
  await page.getByLabel("API-sleutel").fill(stack.keys.operator);
  await page.keyboard.press("Enter");
  await page.getByRole("tab", { name: "Eerdere meldingen" }).click();
  await page.locator(`li[data-alert="${alertId}"] button[name="open"]`).click();

  const groups = page.locator(".tip-group");
  await page
    .locator('.tip-group[data-count="3"]')
    .waitFor({ timeout: 30_000 })
    .catch((err: Error) => {
      throw new Error(`${err.message}\n${problems.join("\n")}`);
    });
  assert.equal(await groups.count(), 2);
  const [newest, plateGroup] = [groups.nth(0), groups.nth(1)];
  assert.equal(await newest.locator(".tip").count(), 1, "the unrelated tip, newest, comes first and alone");
  assert.match(await newest.locator(".transcript").innerText(), /fiets/);
  assert.equal(await newest.locator(".plate").count(), 0);
  assert.equal(await plateGroup.locator(".tip").count(), 3);
  assert.deepEqual(await plateGroup.locator(".plate").allInnerTexts(), ["12-ABC-3"]);
  assert.equal(await plateGroup.locator(".alert-plate").innerText(), "kenteken uit de melding");
  const transcripts = await plateGroup.locator(".transcript").allInnerTexts();
  assert.match(transcripts[0], /12abc3/, "newest tip first within the group");
  // One coarse circle per group on the map, never a pin.
  assert.equal(await page.locator("path.tip-place").count(), 2);
  assert.equal(await page.locator(".leaflet-marker-icon").count(), 0);
  await screenshot(page, "10-tip-groups");
  assert.deepEqual(problems, []);
  assert.deepEqual(offOrigin, []);
});
