import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { eventually } from "../helpers/eventually.js";
import { dam, mobile, seedParticipants } from "../helpers/participants.js";
import { BURGERNET, bearer, type Stack } from "../helpers/stack.js";
import { guardedPage, openConsole } from "./browser.js";

let stack: Stack;
let browser: Browser;
let opened: Awaited<ReturnType<typeof openConsole>> | undefined;
const deaf = mobile(2900);

before(async () => {
  ({ stack, browser } = opened = await openConsole());
});
after(() => opened?.close());

describe("the text line in the console (Chromium)", () => {
  test("the operator reads a text-only citizen's message in the watched alert and answers it by SMS", async () => {
    const [id] = await seedParticipants(stack.db, [{ phone: deaf, ...dam }]);
    await stack.db.query("UPDATE participants SET text_only = true WHERE id = $1", [id]);
    const created = await stack.app.inject({
      method: "POST",
      url: "/v1/alerts",
      headers: bearer(stack.keys.operator),
      payload: {
        kind: "suspect",
        channels: ["voice"],
        texts: { nl: { voice: "Gezocht: een man met een rode pet.", sms: "Gezocht: man, rode pet." } },
        area: { type: "circle", center: dam, radiusMeters: 300 },
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    await eventually(async () => stack.emulator.messagesTo(deaf).length > 0);
    await stack.emulator.sendSms({ from: deaf, to: BURGERNET, body: "Hij staat bij de Bijenkorf" });

    const { page, problems } = await guardedPage(browser, stack.url);
    await page.goto(`${stack.url}/console`, { waitUntil: "networkidle" });
    await page.getByLabel("API-sleutel").fill(stack.keys.operator);
    await page.keyboard.press("Enter");
    // The new-alert form lets the operator set the presence question for this alert (default: as the kind says).
    assert.equal(await page.getByLabel("Eerst vragen: nu in de buurt?").inputValue(), "");
    await page.getByRole("tab", { name: "Eerdere meldingen" }).click();
    await page.locator(".history button[name=open]").first().click();
    await page.locator(".text-line .message-in", { hasText: "Hij staat bij de Bijenkorf" }).waitFor();
    assert.match(await page.locator(".text-line .presence").innerText(), /In de buurt\? ja 0/);

    await page.getByLabel("Antwoord per sms").fill("Dank u. Blijf op afstand.");
    await page.getByRole("button", { name: "Versturen" }).click();
    await page.locator(".text-line .message-out", { hasText: "Dank u. Blijf op afstand." }).waitFor();
    const sms = await eventually(async () => stack.emulator.messagesTo(deaf).find((m) => m.body.includes("afstand")));
    assert.equal(sms.body, "Burgernet: Dank u. Blijf op afstand.");

    // A new message arrives live, without a reload.
    await stack.emulator.sendSms({ from: deaf, to: BURGERNET, body: "Nu richting Damrak" });
    await page.locator(".text-line .message-in", { hasText: "Nu richting Damrak" }).waitFor();
    assert.deepEqual(problems, []);
  });
});
