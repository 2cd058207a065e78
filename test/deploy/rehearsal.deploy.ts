// npm run test:deploy: deploy/compose.yaml rehearsed with Debian's packages instead of containers (none can be pulled
// here), from the same files: PostgreSQL with deploy/postgres/, PgBouncer with deploy/pgbouncer/, migrations once,
// Caddy with deploy/Caddyfile on its own TLS certificate authority, two built instances with compose's environment
// (secrets as files), Prometheus with deploy/prometheus/, and the Twilio emulator (npm run sim) as the carrier.
// What compose and the rehearsal share is held in step by test/deploy/compose.test.ts (topology.ts).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, rmSync } from "node:fs";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createDb, type Db } from "../../src/db/db.js";
import { eventually } from "../helpers/eventually.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";
import { launchChromium, guardedPage } from "../console/browser.js";
import { bringUp, type Deployment } from "./rehearsal/bring-up.js";
import { httpsRequest } from "./rehearsal/https.js";
import { run } from "./rehearsal/proc.js";
import { sentPerNumber } from "./rehearsal/services.js";

let d: Deployment;
let db: Db;
let key: string;
const phones = Array.from({ length: 60 }, (_, i) => mobile(40_000 + i));

before(async () => {
  assert.ok(existsSync("dist/server.js"), "dist/server.js is missing: npm run build first (npm run test:deploy does)");
  d = await bringUp();
  // The operator's key as docs/operations.md creates one (in the migrate service's environment).
  const out = await run(
    process.execPath,
    ["dist/access/create-key-cli.js", "--role", "operator", "--region", "RE05", "--label", "rehearsal"],
    { env: d.envOf("migrate") },
  );
  key = out.trim().split("\n").at(-1)!;
  db = createDb({ connectionString: readFileSync(join(d.secrets, "database_direct_url"), "utf8").trim(), max: 2 });
  await seedParticipants(
    db,
    phones.map((phone, i) => ({ phone, channels: ["voice"], ...offset(dam, (i % 10) * 60, Math.floor(i / 10) * 60) })),
  );
});

after(async () => {
  await db?.close();
  for (const i of Object.values(d?.instances ?? {})) await i.child.kill("SIGKILL");
  for (const p of [d?.prometheus.proc, d?.sim, d?.caddy.proc, d?.bouncer.proc]) await p?.stop();
  await d?.postgres.stop();
  if (d) rmSync(d.dir, { recursive: true, force: true });
});

const https = (path: string, opts?: Parameters<typeof httpsRequest>[2]) =>
  httpsRequest(d.publicUrl + path, d.caddy.ca, opts);

async function sendAlert() {
  const res = await https("/v1/alerts", {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({
      kind: "missing_person",
      priority: "urgent",
      channels: ["voice"],
      texts: {
        nl: { voice: "Wij zoeken een jongen van acht in een rode jas.", sms: "Vermist: jongen (8), rode jas." },
      },
      area: { type: "circle", center: dam, radiusMeters: 1500 },
    }),
  });
  assert.equal(res.status, 201, res.text);
  const alert = JSON.parse(res.text) as { id: string; targeting: { voice: number } };
  assert.equal(alert.targeting.voice, phones.length);
  return alert.id;
}

const calls = () => sentPerNumber(d.simUrl, d.account, "Calls");
const total = async () => [...(await calls()).values()].reduce((a, b) => a + b, 0);
const open = async (alertId: string) =>
  (
    await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM deliveries WHERE alert_id = $1 AND completed_at IS NULL",
      [alertId],
    )
  ).rows[0].n;
const firing = async () =>
  (await d.prometheus.api<{ alerts: { labels: Record<string, string>; state: string }[] }>("/api/v1/alerts")).alerts;

test("through Caddy on TLS: an instance killed mid-alert, the other finishes it (nobody called twice or missed), /readyz and the rules follow", async (t) => {
  // Both up: Caddy answers /readyz with either, /healthz names the commit, Prometheus scrapes both.
  await eventually(async () => (await https("/readyz")).status === 200, {
    what: "ready through Caddy",
    timeoutMs: 30_000,
  });
  assert.equal(JSON.parse((await https("/healthz")).text).commit, d.commit);
  await eventually(
    async () => {
      const up = await d.prometheus.api<{ result: { value: [number, string] }[] }>(
        `/api/v1/query?query=${encodeURIComponent('up{job="burgernet"}')}`,
      );
      return up.result.length === 2 && up.result.every((r) => r.value[1] === "1");
    },
    { what: "Prometheus scraping both instances", timeoutMs: 30_000 },
  );

  const alertId = await sendAlert();
  await eventually(async () => (await total()) >= 15, { what: "15 calls placed", timeoutMs: 30_000 });
  d.instances.a.child.kill("SIGKILL");
  const atKill = await total();
  await eventually(async () => (await open(alertId)) === 0, {
    what: "the survivor finishing the alert",
    timeoutMs: 90_000,
  }).catch(async (err) => {
    const rows = await db.query("SELECT status, count(*) FROM deliveries WHERE alert_id = $1 GROUP BY 1", [alertId]);
    throw new Error(
      [err.message, JSON.stringify(rows.rows), d.instances.b.output().slice(-3000), d.sim.output().slice(-3000)].join(
        "\n",
      ),
    );
  });

  const perNumber = await calls();
  t.diagnostic(`calls placed when instance a was killed: ${atKill} of ${phones.length}`);
  assert.ok(atKill < phones.length, "killed mid-alert");
  assert.deepEqual(
    phones.filter((p) => perNumber.get(p) !== 1),
    [],
    "every participant called exactly once (0 duplicates, 0 missed), counted at the carrier",
  );
  for (let i = 0; i < 6; i++) assert.equal((await https("/readyz")).status, 200, "Caddy sends /readyz to the survivor");

  // The rules, on the shipped expressions: the killed instance's alert fires, not the all-down one.
  const down = await eventually(
    async () => (await firing()).find((a) => a.labels.alertname === "BurgernetInstanceDown" && a.state === "firing"),
    { what: "BurgernetInstanceDown firing", timeoutMs: 60_000 },
  );
  assert.equal(down.labels.instance, `127.0.0.1:${d.metrics.a}`);
  assert.equal(down.labels.severity, "warning");
  const names = (await firing()).map((a) => `${a.labels.alertname} ${a.labels.instance ?? ""}`);
  assert.ok(!names.some((n) => n.startsWith("BurgernetAllInstancesDown")), names.join(", "));
  assert.ok(!names.includes(`BurgernetInstanceDown 127.0.0.1:${d.metrics.b}`), names.join(", "));
  assert.doesNotMatch(d.instances.b.output(), /"level":50/, "no error logged by the survivor");
});

test("the operator console loads through Caddy and signs in, its live feed over wss", async () => {
  const html = await https("/console/");
  assert.equal(html.status, 200);
  assert.match(String(html.headers["content-type"]), /text\/html/);
  const browser = await launchChromium();
  try {
    // TLS itself is checked with Caddy's CA above; Chromium does not know that CA.
    const { page, problems, offOrigin } = await guardedPage(browser, d.publicUrl, { ignoreHTTPSErrors: true });
    await page.goto(`${d.publicUrl}/console/`, { waitUntil: "networkidle" });
    await page.getByLabel("API-sleutel").fill(key);
    await page.keyboard.press("Enter");
    await page.locator('.unit[data-region="RE05"]').waitFor();
    await page.locator(".live-state.up").waitFor();
    // Only the base map's tiles (CONSOLE_TILE_URL of deploy/.env) leave the origin; the page blocks them (no network).
    const tiles = new URL(
      (d.envOf("burgernet-a") as Record<string, string>).CONSOLE_TILE_URL.replace(/\{[xyz]\}/g, "0"),
    ).host;
    assert.deepEqual(
      offOrigin.filter((u) => new URL(u).host !== tiles),
      [],
      "nothing else leaves the origin",
    );
    assert.deepEqual(
      problems.filter((p) => !/ERR_BLOCKED_BY_CLIENT/.test(p)),
      [],
      "no script or console error but the blocked tiles",
    );
  } finally {
    await browser.close();
  }
});

test("a backup taken mid-alert and restored after it: the instances ask the carrier before sending, nobody called twice or missed", async (t) => {
  d.instances.a = d.instance("burgernet-a"); // compose restarts it (restart: unless-stopped)
  await d.instances.a.ready;
  const before = await calls();
  const alertId = await sendAlert();
  const pg = { env: d.postgres.clientEnv };
  await eventually(async () => (await total()) >= phones.length + 15, { what: "15 calls placed", timeoutMs: 30_000 });
  const openAtDump = await open(alertId);
  // docs/operations.md, "Backups": the nightly dump, here taken while the alert is being sent.
  const dump = join(d.dir, "burgernet.dump");
  await run("pg_dump", ["-Fc", "-U", "burgernet", "-d", "burgernet", "-f", dump], pg);
  await eventually(async () => (await open(alertId)) === 0, { what: "the alert finished", timeoutMs: 60_000 });

  // docs/operations.md, "Restoring": both instances stopped, the dump restored into a new database, migrate, start.
  d.instances.a.child.kill("SIGTERM");
  d.instances.b.child.kill("SIGTERM");
  assert.deepEqual(await Promise.all([d.instances.a.exited, d.instances.b.exited]), [0, 0]);
  await db.close();
  await d.postgres.superuser("DROP DATABASE burgernet WITH (FORCE)");
  await run("createdb", ["-U", "postgres", "-O", "burgernet", "burgernet"], pg);
  await d.postgres.superuser("REVOKE ALL ON DATABASE burgernet FROM PUBLIC");
  await run("pg_restore", ["-U", "burgernet", "-d", "burgernet", "--exit-on-error", dump], pg);
  db = createDb({ connectionString: readFileSync(join(d.secrets, "database_direct_url"), "utf8").trim(), max: 2 });
  assert.ok((await open(alertId)) > 0, "the restored database still has the alert's deliveries open");
  await d.migrate();
  d.instances.a = d.instance("burgernet-a");
  d.instances.b = d.instance("burgernet-b");
  await Promise.all([d.instances.a.ready, d.instances.b.ready]);

  await eventually(
    async () =>
      (await db.query("SELECT 1 FROM restore_guard WHERE check_required_since IS NULL AND last_checked_at IS NOT NULL"))
        .rowCount === 1,
    { what: "the restore check done", timeoutMs: 60_000 },
  );
  await eventually(async () => (await open(alertId)) === 0, { what: "the restored alert settled", timeoutMs: 60_000 });
  const after = await calls();
  t.diagnostic(`deliveries open in the dump: ${openAtDump} of ${phones.length}`);
  assert.ok(openAtDump > 0, "the dump was taken mid-alert");
  assert.deepEqual(
    phones.filter((p) => after.get(p) !== (before.get(p) ?? 0) + 1),
    [],
    "every participant called exactly once for this alert (0 duplicates, 0 missed), counted at the carrier",
  );
  const logs = d.instances.a.output() + d.instances.b.output();
  assert.match(logs, /restore: checking live alerts with the carrier before sending/);
  const checked = /\{[^\n]*"msg":"restore: live alerts checked with the carrier"\}/.exec(logs);
  assert.ok(checked, "the check's counts logged");
  const { deliveries, adopted, settled } = JSON.parse(checked[0]) as Record<string, number>;
  t.diagnostic(
    `restore check: ${deliveries} deliveries open, ${adopted} found sent after the dump, ${settled} settled`,
  );
  assert.ok(deliveries > 0, "the restored database had deliveries open");
  // docs/operations.md, step 4: a restore the service cannot tell is declared; the next start checks.
  await run(process.execPath, ["dist/restore/declare-cli.js"], { env: d.envOf("migrate") });
  const declared = await db.query("SELECT check_reason FROM restore_guard WHERE check_required_since IS NOT NULL");
  assert.match(declared.rows[0]?.check_reason ?? "", /declared by an operator/);
  assert.equal(adopted + settled, deliveries, "every delivery open in the dump was found at the carrier");
});
