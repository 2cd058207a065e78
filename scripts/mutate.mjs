// npm run mutate [-- <stryker options>]: Stryker over the rule modules (stryker.config.mjs), then the score of each
// module from its JSON report. Stryker's own `break` threshold judges all files together; the rule here is 85 % for
// every module, so a weak one cannot hide behind the others. `--report-only` reads the last report without running,
// `--markdown` prints the table for bench/RESULTS.md; any other option goes to Stryker (`--concurrency 2`,
// `--incremental`, `--mutate src/geo/geometry.ts`).
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import process from "node:process";

const BREAK = 85;
const ours = ["--report-only", "--markdown"];
if (!process.argv.includes("--report-only")) {
  rmSync("reports/mutation/mutation.json", { force: true }); // never judge a stale report
  const args = ["stryker", "run", ...process.argv.slice(2).filter((a) => !ours.includes(a))];
  const run = spawnSync("npx", args, { stdio: "inherit" });
  if (run.status === null || (run.status !== 0 && run.status !== 1)) process.exit(run.status ?? 1);
}
const report = JSON.parse(readFileSync("reports/mutation/mutation.json", "utf8"));
const rows = Object.entries(report.files)
  .map(([file, { mutants }]) => {
    const count = (status) => mutants.filter((m) => m.status === status).length;
    const killed = count("Killed");
    const timeout = count("Timeout");
    const survived = count("Survived");
    const noCoverage = count("NoCoverage");
    const valid = killed + timeout + survived + noCoverage;
    const score = valid ? (100 * (killed + timeout)) / valid : 100;
    return { file, valid, killed, timeout, survived, noCoverage, ignored: count("Ignored"), score };
  })
  .sort((a, b) => a.file.localeCompare(b.file));

const markdown = process.argv.includes("--markdown");
const print = (line) => process.stdout.write(`${line}\n`);
const header = ["module", "score %", "mutants", "killed", "by timeout", "survived", "no coverage", "ignored"];
const cells = (r) => [r.file, r.score.toFixed(1), r.valid, r.killed, r.timeout, r.survived, r.noCoverage, r.ignored];
if (markdown) {
  print(`| ${header.join(" | ")} |\n|${header.map(() => "---").join("|")}|`);
  for (const r of rows) print(`| \`${r.file}\` | ${cells(r).slice(1).join(" | ")} |`);
} else {
  print(header.join("\t"));
  for (const r of rows) print(cells(r).map(String).join("\t"));
}
const weak = rows.filter((r) => r.score < BREAK);
for (const r of weak) process.stderr.write(`${r.file}: mutation score ${r.score.toFixed(1)} % is under ${BREAK} %\n`);
process.exit(weak.length ? 1 : 0);
