import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
import { startStack, type Stack, type StackOptions } from "../helpers/stack.js";

export const CHROMIUM = "/usr/bin/chromium";
export const SCREENSHOTS = "tmp/screenshots";

/** Builds the console into a folder of its own, so a concurrent `npm run build` cannot pull files from under us. */
export function buildConsole(): string {
  const dir = mkdtempSync(join(tmpdir(), "burgernet-console-"));
  execFileSync(process.execPath, ["--import", "tsx", "console/build.ts", dir], { stdio: "pipe" });
  return dir;
}

/** Debian's Chromium, headless; missing it is a failure, never a skip (CI installs it). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install it with 'apt-get install -y chromium' (.ci/run does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * A page that records every script error, console error and request that leaves `origin` (those are
 * aborted too). 4xx answers the test provokes show up as "Failed to load resource" and are expected.
 */
export async function guardedPage(browser: Browser, origin: string, options: BrowserContextOptions = {}) {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    acceptDownloads: true,
    ...options,
  });
  const problems: string[] = [];
  const offOrigin: string[] = [];
  const sockets: string[] = [];
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.origin === origin || url.protocol === "data:" || url.protocol === "blob:") return route.continue();
    offOrigin.push(url.href);
    return route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  // Waits on state, not on time: generous, since the whole suite shares two cores with this browser.
  page.setDefaultTimeout(90_000);
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    if (/Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) return;
    problems.push(`console error: ${msg.text()}`);
  });
  page.on("websocket", (ws) => {
    sockets.push(ws.url());
    if (new URL(ws.url()).host !== new URL(origin).host) offOrigin.push(ws.url());
  });
  page.on("request", (req) => {
    const url = new URL(req.url());
    if (url.protocol.startsWith("ws") && url.host !== new URL(origin).host) offOrigin.push(req.url());
  });
  return { page, context, problems, offOrigin, sockets };
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/**
 * What every browser test starts with: the console built into a folder of its own, a stack serving it and
 * Chromium. `close` undoes all three; a start that fails half-way undoes what it did.
 */
export async function openConsole(options: Omit<StackOptions, "consoleDir"> = {}) {
  const consoleDir = buildConsole();
  let stack: Stack | undefined;
  try {
    stack = await startStack({ ...options, consoleDir });
    const browser = await launchChromium();
    return {
      stack,
      browser,
      async close() {
        await browser.close();
        await stack!.close();
        rmSync(consoleDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await stack?.close();
    rmSync(consoleDir, { recursive: true, force: true });
    throw err;
  }
}

/** The pixel centre of the map on the page. */
export async function mapCentre(page: Page) {
  const box = (await page.locator(".map").boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}
