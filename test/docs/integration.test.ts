import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { testDatabaseUrl } from "../helpers/db.js";
import { seedParticipants } from "../helpers/participants.js";
import { freePort, startStack, type Stack } from "../helpers/stack.js";

/**
 * docs/integration.md runs as written: its marked blocks, in order, in one bash script against the service and the
 * Twilio emulator (`file NAME` blocks are written to disk, `background NAME` blocks run beside the rest, as in a
 * terminal of their own), so the document cannot drift from the service.
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
const MARKED = /<!-- integration: (run|file|background)(?: (\S+))? -->\n```\w*\n([\s\S]*?)```/g;

let s: Stack;
let work: string;
before(async () => {
  s = await startStack({
    env: { WEBHOOK_ALLOW_PRIVATE: "true" },
    // Every simulated citizen who is called presses 2 and speaks a tip.
    emulator: {
      defaultPersona: {
        answer: "human",
        script: [
          { digits: "2" },
          { speech: "Een jongen met een rode jas bij de ingang van het station", confidence: 0.9 },
        ],
      },
    },
  });
  await seedParticipants(
    s.db,
    ["+31612340001", "+31612340002", "+31612340003"].map((phone, i) => ({
      phone,
      lat: 52.372 + i * 0.001,
      lon: 4.893,
    })),
  );
  mkdirSync(join(root, "tmp"), { recursive: true });
  work = mkdtempSync(join(root, "tmp", "integration-")); // inside the project: the snippets import its packages
});
after(async () => {
  await s.close();
  rmSync(work, { recursive: true, force: true });
});

function script(markdown: string) {
  const lines = ["set -euo pipefail", "background=()"];
  for (const [, kind, name, body] of markdown.matchAll(MARKED)) {
    if (kind === "file") writeFileSync(join(work, name!), body);
    else if (kind === "run") lines.push(body);
    else {
      lines.push(`( ${body.trim()} ) > ${name}.log 2>&1 &`, "background+=($!)");
      // Wait for the process to say it is ready (the receivers listen, the feed says hello), as a reader would.
      lines.push(`until grep -qE "listening|following" ${name}.log; do sleep 0.1; done`);
    }
  }
  lines.push('wait "${background[2]}"'); // the live feed ends itself at alert.closed; the receivers are stopped after
  return lines.join("\n");
}

function run(text: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    // A process group of its own: whatever the script left running (the receivers) is stopped with it.
    const child = spawn("bash", ["-c", text], { cwd: work, env: { ...process.env, ...env }, detached: true });
    const stop = () => {
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        // already gone
      }
    };
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(stop, 120_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      stop();
      resolve({ code, out });
    });
  });
}

test("docs/integration.md runs as written: key, webhooks (Node and Python), live feed, alert, tips, report, CAP", async () => {
  const markdown = readFileSync(join(root, "docs/integration.md"), "utf8");
  const bash = script(markdown);
  const { code, out } = await run(bash, {
    BURGERNET_URL: s.url,
    DATABASE_URL: testDatabaseUrl(),
    PGOPTIONS: `-c search_path=${(s.db as { schema?: string }).schema},public`,
    NODE_RECEIVER_PORT: String(await freePort()),
    PY_RECEIVER_PORT: String(await freePort()),
  });
  const log = (name: string) => readFileSync(join(work, `${name}.log`), "utf8");
  const all = () =>
    `${out}\n--- live\n${log("live-feed")}\n--- node\n${log("node-receiver")}\n--- py\n${log("python-receiver")}`;
  assert.equal(code, 0, all());
  assert.match(out, /^RE05 /m, "the key reads its region");
  assert.match(out, /^3 participants: 3 calls, 3 SMS/m, "the preview");
  assert.match(out, /^voice tip, \d+ m: Een jongen met een rode jas/m, "the tips");
  assert.match(out, /^\{"seq":1,"notify":"reached"\}$/m, "the follow-up");
  assert.match(out, /^\{"added":0\}$/m, "the widening: everyone inside was targeted already");
  assert.match(out, /^closed$/m);
  assert.match(out, /^\{"targeted":\d+,"reached":\d+,"tips":[1-9]\d*\}$/m, "the report");
  assert.match(out, /^id,channel,purpose,/m, "the CSV report's header");
  assert.match(out, /^201\n\{"msgType":"Alert","action":"created"/m, "the CAP message");
  for (const receiver of ["node-receiver", "python-receiver"])
    for (const type of ["alert.created", "sighting.created", "alert.closed"])
      assert.match(log(receiver), new RegExp(`^verified ${type} evt_`, "m"), `${receiver}: ${type}`);
  assert.doesNotMatch(log("node-receiver") + log("python-receiver"), /refused/);
  const live = log("live-feed");
  assert.match(live, /^following RE05$/m);
  for (const type of ["alert.created", "sighting.created", "alert.closed"])
    assert.match(live, new RegExp(` ${type} alert `));
  assert.match(live, /tip \d+ m from the area: Een jongen/);
});
