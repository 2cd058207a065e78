import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator, type Emulator } from "../../src/sim/index.js";
import { freePort } from "../helpers/stack.js";
import { ensureBuilt } from "./built.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
let dir: string;
let emulator: Emulator;

before(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "burgernet-main-"));
  chmodSync(dir, 0o755);
  emulator = await startEmulator({ timeScale: 0.001, cps: 0 });
});
after(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs an npm script with a clean environment: no DATABASE_URL, so the embedded default is used. */
function npm(args: string[], env: Record<string, string>) {
  const child = spawn("npm", args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", EMBEDDED_PG_DIR: join(dir, "pg"), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
  return { child, exited, output: () => out };
}

test("npm start on the embedded default: a citizen registers and verifies over HTTP", async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const service = npm(["start"], {
    PORT: String(port),
    PUBLIC_URL: url,
    LOG_LEVEL: "info",
    TWILIO_ACCOUNT_SID: emulator.accountSid,
    TWILIO_AUTH_TOKEN: emulator.authToken,
    TWILIO_API_URL: emulator.url,
  });
  try {
    await waitForOutput(service, /Server listening at/);
    assert.match(service.output(), /embedded PostgreSQL: (creating a cluster|listening)/);
    // The key is made with the CLI while the service runs: both share the embedded server.
    const cli = npm(["run", "key:create", "--", "--role", "registration"], {});
    assert.equal(await cli.exited, 0, cli.output());
    const key = /^(bn_reg_\S+)$/m.exec(cli.output())![1];
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };

    const ready = await fetch(`${url}/readyz`);
    assert.equal(ready.status, 200);
    const reg = await fetch(`${url}/v1/participants`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        phone: "0687654321",
        channels: ["sms", "voice"],
        locations: [{ kind: "home", postcode: "3811 AB" }],
      }),
    });
    assert.equal(reg.status, 202);
    const { id } = (await reg.json()) as { id: string };
    const sms = await emulator.waitFor(() => emulator.messagesTo("+31687654321")[0], { timeoutMs: 20_000 });
    const code = /(\d{6})/.exec(sms.body)![1];
    const verified = await fetch(`${url}/v1/participants/${id}/verify`, {
      method: "POST",
      headers,
      body: JSON.stringify({ code }),
    });
    assert.equal(verified.status, 200);
    assert.equal(((await verified.json()) as { status: string }).status, "active");
    assert.doesNotMatch(service.output(), /\+31687654321|687654321/, "the phone number never appears in the logs");
    assert.doesNotMatch(service.output(), new RegExp(code), "nor the code");
  } finally {
    service.child.kill("SIGTERM");
  }
  await service.exited;
  // Graceful: requests finished, dispatcher stopped, pool closed, embedded server stopped (its owner mark removed).
  for (
    let i = 0;
    i < 100 && (existsSync(join(dir, "pg.owner")) || !/"msg":"shutting down"/.test(service.output()));
    i++
  ) {
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.match(service.output(), /"signal":"SIGTERM","msg":"shutting down"/);
  assert.equal(existsSync(join(dir, "pg.owner")), false, "the embedded PostgreSQL was stopped");
});

const demoName = "npm run demo at small scale: everyone in the area reached, tips reach the operator";
test(`${demoName}, closing message to the reached`, async () => {
  const demo = npm(
    ["run", "demo", "--", "--participants", "400", "--cps", "200", "--time-scale", "0.01", "--json", "--seed", "7"],
    { PORT: String(await freePort()) },
  );
  const code = await demo.exited;
  assert.equal(code, 0, demo.output());
  const line = demo
    .output()
    .trim()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .at(-1)!;
  const s = JSON.parse(line);
  assert.equal(s.participantsAdded, 400);
  assert.ok(s.targeted > 50, `targeted ${s.targeted}`);
  assert.ok(s.reached > 0 && s.reached <= s.targeted);
  assert.ok(s.answered > 0);
  assert.equal(s.closingMessages, s.reached, "a closing message to each one reached, to nobody else");
  // Equal counts prove nothing when both are 0: the simulated citizens give tips, and each must arrive.
  assert.ok(s.tips > 0, `citizens gave tips (${s.tips})`);
  assert.equal(s.tipsReceivedByOperator, s.tips, "every tip reached the operator's receiver");
  assert.equal(s.webhooksRejected, 0);
  // A clean run prints nothing but the demo: no Node warnings (MaxListenersExceededWarning, engine notices).
  assert.doesNotMatch(demo.output(), /Warning|\(node:\d+\)|npm (warn|WARN)/);
});

test("npm run key:create -- --help prints the usage and touches no database", async () => {
  const cli = npm(["run", "key:create", "--", "--help"], { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
  assert.equal(await cli.exited, 0, cli.output());
  assert.match(cli.output(), /Usage: npm run key:create -- --role <role>/);
  assert.match(cli.output(), /registration \| operator \| admin/);
  const bad = npm(["run", "key:create", "--", "--rol", "admin"], {});
  assert.equal(await bad.exited, 2);
  assert.match(bad.output(), /Unknown option '--rol'[\s\S]*Usage:/);
});

async function waitForOutput(p: { output(): string; exited: Promise<number | null> }, re: RegExp) {
  let done = false;
  void p.exited.then(() => (done = true));
  for (let i = 0; i < 600 && !re.test(p.output()); i++) {
    if (done) throw new Error(`exited before ${re}: ${p.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!re.test(p.output())) throw new Error(`never saw ${re}: ${p.output()}`);
}
