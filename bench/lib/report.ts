import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { Metric, ScenarioReport } from "./types.js";

const DATA_START = "<!-- bench-data";
const DATA_END = "-->";

export function formatValue(m: Metric): string {
  if (m.value === null) return "not measured";
  const digits = m.digits ?? (m.unit === "ratio" ? 3 : m.unit === "ms" ? 1 : m.unit === "s" ? 1 : 0);
  const n = m.value.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return m.unit === "ratio" || m.unit === "" ? n : `${n} ${m.unit}`;
}

const verdict = (m: Metric) => (m.pass === true ? "yes" : m.pass === false ? "**no**" : "");
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function table(reports: ScenarioReport[]): string {
  const lines = ["| scenario | measure | result | target (DESIGN §8) | met |", "|---|---|---|---|---|"];
  for (const r of reports) {
    if (r.error) lines.push(`| ${r.name} | run failed | ${cell(r.error)} | | **no** |`);
    for (const m of r.metrics) {
      const result = m.detail ? `${formatValue(m)} (${m.detail})` : formatValue(m);
      lines.push(`| ${r.name} | ${cell(m.label)} | ${cell(result)} | ${cell(m.target?.text ?? "")} | ${verdict(m)} |`);
    }
  }
  return lines.join("\n");
}

/** A plain-text table for the terminal. */
export function consoleTable(reports: ScenarioReport[]): string {
  const rows = [["scenario", "measure", "result", "target", "met"]];
  for (const r of reports) {
    if (r.error) rows.push([r.name, "run failed", r.error.slice(0, 80), "", "no"]);
    for (const m of r.metrics)
      rows.push([
        r.name,
        m.label,
        formatValue(m),
        m.target?.text ?? "",
        m.pass === true ? "yes" : m.pass === false ? "NO" : "",
      ]);
  }
  const widths = rows[0].map((_, i) => Math.min(60, Math.max(...rows.map((r) => r[i].length))));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join("  ")).join("\n");
}

/** The reports stored in an earlier RESULTS.md, so that running one scenario keeps the others' figures. */
export function previousReports(path: string): ScenarioReport[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, "utf8");
  const start = text.indexOf(DATA_START);
  if (start < 0) return [];
  const end = text.indexOf(DATA_END, start);
  try {
    return JSON.parse(text.slice(start + DATA_START.length, end)) as ScenarioReport[];
  } catch {
    return [];
  }
}

/** What follows the data in the file: sections added by hand (before/after tables, one-off measurements), kept. */
function handSections(path: string): string {
  if (!existsSync(path)) return "";
  const text = readFileSync(path, "utf8");
  const start = text.indexOf(DATA_START);
  const end = start < 0 ? -1 : text.indexOf(DATA_END, start);
  return end < 0 ? "" : text.slice(end + DATA_END.length).replace(/^\n+/, "");
}

export function writeResults(path: string, reports: ScenarioReport[], order: string[], latest: string[]): void {
  const kept = handSections(path);
  const sorted = [...reports].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  const newest = sorted.filter((r) => latest.includes(r.name));
  const m = (newest[0] ?? sorted[0]).machine;
  const databases = [...new Set(sorted.map((r) => r.database))].join("; ");
  const older = sorted.filter((r) => !latest.includes(r.name));
  const out: string[] = [
    "# Benchmark results",
    "",
    "Written by `npm run bench` (scenarios in `bench/`, targets in `../shared/DESIGN.md` §8). The next run rewrites",
    "everything down to the data below; a run of one scenario (`npm run bench -- <name>`) keeps the others' figures,",
    "and sections added by hand after the data are kept as they are.",
    "",
    "## Machine",
    "",
    "| | |",
    "|---|---|",
    `| last run | ${newest.map((r) => r.startedAt).sort()[0] ?? "?"} (${latest.join(", ")}) |`,
    `| CPU | ${m.cpus} × ${m.cpuModel} |`,
    `| memory | ${m.memoryGiB} GiB |`,
    `| OS | ${m.os} |`,
    `| Node | ${m.node} |`,
    `| databases | ${databases} |`,
    `| code | ${m.commit} |`,
    `| load average (1 min) | ${newest.map((r) => `${r.name} ${r.machine.loadStart} → ${r.machine.loadEnd ?? "?"}`).join(", ")} |`,
    "",
    "Other work shares this machine; the load average at the start and end of each scenario says how much. While these",
    "benchmarks were built, the same figure varied by up to ±40% between runs (e.g. the shipped 2 km circle on the",
    "server between 224 and 303 ms): read single figures with that in mind, verdicts far from the target are robust.",
    ...(older.length
      ? ["", `Figures of ${older.map((r) => `${r.name} (${r.startedAt})`).join(", ")} come from an earlier run.`]
      : []),
    "",
    "## Results",
    "",
    table(sorted),
    "",
    "## How each figure was measured, and why a target is missed",
  ];
  for (const r of sorted) {
    out.push(
      "",
      `### ${r.name}: ${r.title}`,
      "",
      `Run ${r.startedAt}, ${Math.round(r.seconds)} s, on ${r.database}.`,
      "",
    );
    if (r.error) out.push(`- The run failed: ${r.error}`);
    for (const n of r.notes) out.push(`- ${n}`);
  }
  const data = JSON.stringify(sorted, null, 1).replace(/--/g, "-\\u002d");
  out.push("", `${DATA_START}`, data, DATA_END, "", ...(kept ? [kept.replace(/\n+$/, ""), ""] : []));
  writeFileSync(path, out.join("\n"));
}
