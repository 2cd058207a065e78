import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStack, type Stack } from "../helpers/stack.js";
import { consoleCsp } from "../../src/console/plugin.js";
import { loadConfig } from "../../src/config.js";

const built = mkdtempSync(join(tmpdir(), "burgernet-console-static-"));
writeFileSync(join(built, "index.html"), "<!doctype html><title>console</title>");
let stack: Stack;
let unbuilt: Stack;
before(async () => {
  stack = await startStack({
    consoleDir: built,
    dispatch: { autoStart: false },
    env: { CONSOLE_TILE_URL: "https://tiles.example.nl/{z}/{x}/{y}.png" },
  });
  unbuilt = await startStack({ consoleDir: join(built, "missing"), dispatch: { autoStart: false } });
});
after(async () => {
  await stack?.close();
  await unbuilt?.close();
  rmSync(built, { recursive: true, force: true });
});

describe("console plugin", () => {
  test("/console serves the built files with a CSP that keeps everything on the origin", async () => {
    const redirect = await stack.app.inject({ method: "GET", url: "/console" });
    assert.equal(redirect.statusCode, 301);
    assert.equal(redirect.headers.location, "/console/");
    const page = await stack.app.inject({ method: "GET", url: "/console/" });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<title>console<\/title>/);
    const csp = String(page.headers["content-security-policy"]);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /connect-src 'self'(;|$)/);
    // The configured tile server is allowed for images, and for nothing else.
    assert.match(csp, /img-src 'self' data: blob: https:\/\/tiles\.example\.nl(;|$)/);
    assert.equal(csp.match(/tiles\.example\.nl/g)?.length, 1);
    assert.equal(page.headers["x-content-type-options"], "nosniff");
  });

  test("the tile layer is off unless configured", async () => {
    const on = await stack.app.inject({ method: "GET", url: "/console/config.json" });
    assert.deepEqual(on.json(), { tileUrl: "https://tiles.example.nl/{z}/{x}/{y}.png" });
    const off = await unbuilt.app.inject({ method: "GET", url: "/console/config.json" });
    assert.deepEqual(off.json(), { tileUrl: null });
    assert.doesNotMatch(String(off.headers["content-security-policy"] ?? ""), /https:/);
  });

  test("PDOK's BRT-Achtergrondkaart (the deploy kit's base map) is one setting away, allowed for images only", () => {
    const pdok = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png";
    assert.equal(loadConfig({ LOG_LEVEL: "silent", CONSOLE_TILE_URL: pdok }).consoleTileUrl, pdok);
    assert.match(consoleCsp(pdok), /img-src 'self' data: blob: https:\/\/service\.pdok\.nl;/);
    assert.match(readFileSync("deploy/.env.example", "utf8"), /^CONSOLE_TILE_URL=https:\/\/service\.pdok\.nl\//m);
  });

  test("an unbuilt console answers 503 with how to build it, and the API still works", async () => {
    const res = await unbuilt.app.inject({ method: "GET", url: "/console/" });
    assert.equal(res.statusCode, 503);
    assert.match(res.body, /npm run build:console/);
    assert.equal((await unbuilt.app.inject({ method: "GET", url: "/healthz" })).statusCode, 200);
  });
});
