// `npm run bench [-- <scenario>…]`: runs the scenarios against a real PostgreSQL and the Twilio emulator,
// prints a table and rewrites bench/RESULTS.md.
import { fileURLToPath } from "node:url";
import { primaryDatabase } from "./lib/database.js";
import { populationFixture } from "./lib/fixture.js";
import { serviceCpus } from "./lib/children.js";
import { loadNow, machineInfo } from "./lib/machine.js";
import { consoleTable, previousReports, writeResults } from "./lib/report.js";
import type { BenchContext, Scenario, ScenarioReport } from "./lib/types.js";
import { targeting } from "./targeting.js";
import { enqueue } from "./enqueue.js";
import { pace } from "./pace.js";
import { uncapped } from "./uncapped.js";
import { webhooks } from "./webhooks.js";
import { memory } from "./memory.js";
import { startup } from "./startup.js";
import { soak } from "./soak.js";
import { large, units } from "./scale.js";
import { analytics } from "./analytics.js";

const SCENARIOS: Scenario[] = [
  targeting,
  enqueue,
  pace,
  uncapped,
  webhooks,
  memory,
  startup,
  soak,
  units,
  large,
  analytics,
];
// Enqueue runs before targeting, which CLUSTERs the shared population's location table.
const RUN_ORDER = [
  "enqueue",
  "targeting",
  "pace",
  "uncapped",
  "webhooks",
  "memory",
  "startup",
  "soak",
  "units",
  "large",
  "analytics",
];
// Scaling runs (the service pinned to some CPUs) keep their own file beside the main one.
const pinned = serviceCpus();
const RESULTS = fileURLToPath(
  new URL(pinned ? `./RESULTS-service-cpus-${pinned.replace(/[^0-9]+/g, "-")}.md` : "./RESULTS.md", import.meta.url),
);

const started = performance.now();
const log = (message: string) =>
  console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}`);

const argv = process.argv.slice(2).filter((a) => a !== "--");
/** On a shared machine: before each scenario, wait (up to 10 minutes) for the 1-minute load average to drop below 1.5. */
const waitQuiet = argv.includes("--wait-quiet");
const args = argv.filter((a) => !a.startsWith("--"));
if (argv.includes("--help") || argv.includes("--list")) {
  console.log("npm run bench [-- [--wait-quiet] <scenario>…]\n");
  for (const s of SCENARIOS) console.log(`  ${s.name.padEnd(10)} ${s.title}`);
  process.exit(0);
}
const unknown = args.filter((a) => !SCENARIOS.some((s) => s.name === a));
if (unknown.length) {
  console.error(`unknown scenario(s): ${unknown.join(", ")}; known: ${SCENARIOS.map((s) => s.name).join(", ")}`);
  process.exit(2);
}
// The soak (an hour) and the scale runs (10+ minutes) run only when named.
const NAMED_ONLY = ["soak", "units", "large"];
const chosen = (
  args.length ? SCENARIOS.filter((s) => args.includes(s.name)) : SCENARIOS.filter((s) => !NAMED_ONLY.includes(s.name))
).sort((a, b) => RUN_ORDER.indexOf(a.name) - RUN_ORDER.indexOf(b.name));

const database = await primaryDatabase(log);
log(
  `database: ${database.kind} ${database.version}${database.kind === "server" ? " (DATABASE_URL)" : " (embedded, temporary)"}`,
);
const fixture = populationFixture(database, log);
let cleaning: Promise<void> | undefined;
const cleanup = () =>
  (cleaning ??= (async () => {
    await fixture.dispose().catch((err) => console.error(`could not drop the population schema: ${err}`));
    await database.stop().catch(() => {});
  })());
process.once("SIGINT", () => {
  console.error("interrupted: cleaning up");
  void cleanup().then(() => process.exit(130));
});

const ctx: BenchContext = { database, log, population: () => fixture.get() };
const reports: ScenarioReport[] = [];
for (const scenario of chosen) {
  if (waitQuiet) {
    const until = Date.now() + 600_000;
    if (loadNow() >= 1.5) log(`waiting for a quieter machine (load average ${loadNow()})`);
    while (loadNow() >= 1.5 && Date.now() < until) await new Promise((r) => setTimeout(r, 5_000));
  }
  const machine = machineInfo();
  const t0 = performance.now();
  const startedAt = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  log(`── ${scenario.name}: ${scenario.title}`);
  const report: ScenarioReport = {
    name: scenario.name,
    title: scenario.title,
    startedAt,
    seconds: 0,
    database: `${database.kind} ${database.version}`,
    machine,
    metrics: [],
    notes: [],
  };
  try {
    Object.assign(report, await scenario.run(ctx));
  } catch (err) {
    report.error = (err as Error).stack?.split("\n").slice(0, 3).join(" ") ?? String(err);
    console.error(err);
  }
  if (pinned)
    report.notes.push(
      `The service ran pinned to CPU ${pinned} of ${report.machine.cpus} (BENCH_SERVICE_CPUS, taskset); PostgreSQL, the emulator and the bench were not pinned.`,
    );
  report.seconds = (performance.now() - t0) / 1000;
  report.machine.loadEnd = loadNow();
  log(`── ${scenario.name} done in ${report.seconds.toFixed(0)} s`);
  reports.push(report);
  // The population is only shared by the scenarios that need it; free the memory and disk after the last one.
  if (!chosen.slice(chosen.indexOf(scenario) + 1).some((s) => s.name === "enqueue" || s.name === "targeting"))
    await fixture.dispose();
}
await cleanup();

console.log(`\n${consoleTable(reports)}\n`);
const kept = previousReports(RESULTS).filter(
  (r) => !reports.some((n) => n.name === r.name) && SCENARIOS.some((s) => s.name === r.name),
);
writeResults(
  RESULTS,
  [...kept, ...reports],
  SCENARIOS.map((s) => s.name),
  reports.map((r) => r.name),
);
log(`wrote ${RESULTS}`);
process.exit(reports.some((r) => r.error) ? 1 : 0);
