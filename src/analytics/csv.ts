import { analyticsFigures } from "./schemas.js";
import type { Figures } from "./service.js";

// The figures in the order the OpenAPI document lists them.
const FIGURES = Object.keys(analyticsFigures.properties) as (keyof Figures)[];

export const ANALYTICS_CSV_COLUMNS = ["group", "key", "drill", ...FIGURES];

const cell = (v: unknown) => (v === null || v === undefined ? "" : String(v));

/** One line per group, then the totals (group `total`); every cell is a number, a key of ours, or empty. */
export function analyticsCsv(answer: {
  groupBy: string;
  groups: (Figures & { key: string; drill: boolean })[];
  totals: (Figures & { drill: boolean })[];
}): string {
  const line = (group: string, key: string, row: Figures & { drill: boolean }) =>
    [group, key, String(row.drill), ...FIGURES.map((f) => cell(row[f]))].join(",") + "\r\n";
  return (
    ANALYTICS_CSV_COLUMNS.join(",") +
    "\r\n" +
    answer.groups.map((g) => line(answer.groupBy, g.key, g)).join("") +
    answer.totals.map((t) => line("total", "", t)).join("")
  );
}
