// The Grafana dashboard (deploy/grafana/burgernet.json) and the Prometheus rules (deploy/prometheus/rules.yml) ask
// for metrics by name: every name they use must be one the service exports, so that renaming a metric breaks here
// and not, silently, on an operator's screen during an alert.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { bearer, createTestDb, keysFor, startApp, type TestDb } from "../webhooks/harness.js";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

/** Every `expr:` of a rules file: one line, or a `|` / `>` block of the lines indented deeper than the key. */
export function ruleExpressions(yaml: string): { exprs: string[]; recorded: string[] } {
  const lines = yaml.split("\n");
  const exprs: string[] = [];
  const recorded: string[] = [];
  lines.forEach((line, i) => {
    const record = /^\s*-?\s*record:\s*(\S+)/.exec(line);
    if (record) recorded.push(record[1]);
    const m = /^(\s*)-?\s*expr:\s*(.*)$/.exec(line);
    if (!m) return;
    if (!/^[|>][-+]?$/.test(m[2])) return void exprs.push(m[2].replace(/^(['"])(.*)\1$/, "$2"));
    const block: string[] = [];
    for (const next of lines.slice(i + 1)) {
      if (next.trim() && next.search(/\S/) <= m[1].length) break;
      block.push(next);
    }
    exprs.push(block.join("\n"));
  });
  return { exprs, recorded };
}

/** Every `expr` of the dashboard's panels' targets, rows' nested panels included. */
export function dashboardExpressions(dashboard: { panels?: unknown[] }): string[] {
  type Panel = { panels?: Panel[]; targets?: { expr?: string }[] };
  const panels = (dashboard.panels ?? []) as Panel[];
  return panels.flatMap((p) => [
    ...(p.targets ?? []).flatMap((t) => (t.expr ? [t.expr] : [])),
    ...dashboardExpressions({ panels: p.panels }),
  ]);
}

const KEYWORDS = new Set(["and", "or", "unless", "bool", "offset", "inf", "nan", "atan2"]);

/** The metric names a PromQL expression selects (functions, labels, keywords, numbers, Grafana variables left out). */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, " ") // label values, strings
    .replace(/\{[^}]*\}/g, " ") // label matchers
    .replace(/\[[^\]]*\]/g, " ") // ranges, subqueries
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ") // label lists
    .replace(/\$\{?\w+\}?/g, " ") // Grafana's $__rate_interval, ${datasource}
    .replace(/(?<![\w:])\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi, " "); // numbers, 400e6 included
  const names = new Set<string>();
  for (const m of bare.matchAll(/[a-zA-Z_:][\w:]*/g)) {
    const after = bare.slice(m.index + m[0].length);
    if (/^\s*\(/.test(after) || KEYWORDS.has(m[0].toLowerCase())) continue; // a function or an operator
    names.add(m[0]);
  }
  return [...names];
}

/** Metric family names of an exposition, and the series names a histogram or summary family adds. */
function families(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name);
    if (type === "histogram") for (const s of ["_bucket", "_sum", "_count"]) names.add(name + s);
    if (type === "summary") for (const s of ["_sum", "_count"]) names.add(name + s);
  }
  return names;
}

let db: TestDb;
let app: FastifyInstance;
let exported: Set<string>;

before(async () => {
  db = await createTestDb();
  app = await startApp({ db });
  const keys = await keysFor(db);
  const scrape = async (url: string) => {
    const res = await app.inject({ url, headers: bearer(keys.admin) });
    assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    return res.body;
  };
  exported = new Set([...families(await scrape("/metrics")), ...families(await scrape("/metrics/database"))]);
});
after(async () => {
  await app.close();
  await db.drop();
});

const rules = ruleExpressions(read("deploy/prometheus/rules.yml"));
// Prometheus's own series for every target it scrapes, and what the rules record.
const notExported = new Set(["up", "scrape_duration_seconds", ...rules.recorded]);

function unknownNames(exprs: string[]) {
  return exprs.flatMap((expr) =>
    metricNames(expr)
      .filter((n) => !exported.has(n) && !notExported.has(n))
      .map((n) => `${n} (in ${expr.replace(/\s+/g, " ").trim()})`),
  );
}

test("the PromQL reader finds metric names, not functions, labels, numbers or variables", () => {
  const expr = [
    'histogram_quantile(0.99, sum by (le) (rate(burgernet_http_request_duration_seconds_bucket{route=~"/twilio/.*"}',
    "[$__rate_interval]))) > 0.5 and on (channel) max without (instance)",
    '(burgernet_deliveries{status="pending"}) > 400e6 or absent(up == 1) unless foo:bar',
  ].join("\n");
  assert.deepEqual(metricNames(expr).sort(), [
    "burgernet_deliveries",
    "burgernet_http_request_duration_seconds_bucket",
    "foo:bar",
    "up",
  ]);
  const yaml = ["- record: a:b", "  expr: vector(1)", "- alert: X", "  expr: |", "    x", "      > 1", "- y"].join(
    "\n",
  );
  assert.deepEqual(ruleExpressions(yaml), { exprs: ["vector(1)", "    x\n      > 1"], recorded: ["a:b"] });
});

test("every metric the Grafana dashboard queries is one the service exports", () => {
  const exprs = dashboardExpressions(JSON.parse(read("deploy/grafana/burgernet.json")));
  assert.ok(exprs.length >= 20, `the dashboard's queries were found (${exprs.length})`);
  const used = new Set(exprs.flatMap(metricNames));
  for (const n of ["burgernet_dispatch_submitted_total", "burgernet_deliveries", "burgernet_webhook_outbox_depth"])
    assert.ok(used.has(n), `the dashboard shows ${n}`);
  assert.deepEqual(unknownNames(exprs), []);
});

test("every metric the alerting rules read is one the service exports", () => {
  assert.ok(rules.exprs.length >= 10, `the rules' expressions were found (${rules.exprs.length})`);
  const used = new Set(rules.exprs.flatMap(metricNames));
  for (const n of ["burgernet_dispatch_halted", "burgernet_carrier_requests_total", "process_resident_memory_bytes"])
    assert.ok(used.has(n), `a rule reads ${n}`);
  assert.deepEqual(unknownNames(rules.exprs), []);
});
