import type { Principal } from "../access/keys.js";
import type { Db } from "../db/db.js";
import { Errors, withDetails } from "../errors.js";
import { euros } from "../cost/prices.js";
import { analyticsQueries as q, type AnalyticsRow, type GroupBy } from "./queries.js";

export const MAX_RANGE_DAYS = 400;

const ratio = (part: number, whole: number, scale: number) =>
  whole > 0 ? Math.round((part / whole) * scale * 10) / 10 : null;

/** Euros per alert or tip; null until the carrier has priced a call or SMS of the group. */
const perEur = (r: AnalyticsRow, whole: number) =>
  r.priced > 0 && whole > 0 ? euros(Number(r.cost_eur) / whole) : null;

/** One group's figures, each with its own test on seeded data (test/analytics). */
export function presentFigures(r: AnalyticsRow) {
  return {
    alerts: r.alerts,
    targeted: r.targeted,
    reached: r.reached,
    reachedPct: ratio(r.reached, r.targeted, 100),
    calls: r.calls,
    answered: r.answered,
    answeredPct: ratio(r.answered, r.calls, 100),
    eyesInArea: r.near,
    tips: r.tips,
    tipsPer1000Reached: ratio(r.tips, r.reached, 1000),
    putThrough: r.put_through,
    medianSecondsToFirstTip: r.median_first_tip_s === null ? null : Math.round(Number(r.median_first_tip_s) * 10) / 10,
    closed: r.closed,
    found: r.found,
    foundPct: ratio(r.found, r.closed, 100),
    costEur: r.priced > 0 ? euros(Number(r.cost_eur)) : null,
    costPerAlertEur: perEur(r, r.alerts),
    costPerTipEur: perEur(r, r.tips),
  };
}

export type Figures = ReturnType<typeof presentFigures>;

function rangeOf(query: { from: string; to: string }) {
  const from = new Date(query.from);
  const to = new Date(query.to);
  if (to <= from) throw withDetails(new Errors.Validation("`to` must come after `from`"), [{ path: "querystring/to" }]);
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000)
    throw withDetails(new Errors.Validation(`At most ${MAX_RANGE_DAYS} days between \`from\` and \`to\``), [
      { path: "querystring/to" },
    ]);
  return { from, to };
}

/** What works across alerts: operators see their own unit's alerts, admins every unit's. */
export function createAnalytics(deps: { db: Db }) {
  return {
    async figures(
      query: { from: string; to: string; groupBy?: Exclude<GroupBy, "total">; drill?: boolean },
      principal: Principal,
    ) {
      const groupBy = query.groupBy ?? "unit";
      const range = {
        ...rangeOf(query),
        region: principal.role === "admin" ? null : principal.region,
        drill: query.drill ?? false,
      };
      await q.rollUp(deps.db, groupBy, range);
      if (groupBy !== "unit" && groupBy !== "kind" && groupBy !== "hour") await q.rollUp(deps.db, "total", range);
      const [groups, totals] = await Promise.all([
        q.figures(deps.db, groupBy, range),
        q.figures(deps.db, "total", range),
      ]);
      return {
        from: range.from.toISOString(),
        to: range.to.toISOString(),
        groupBy,
        drill: range.drill,
        groups: groups.rows.map((r) => ({ key: r.key, drill: r.drill, ...presentFigures(r) })),
        totals: totals.rows.map((r) => ({ drill: r.drill, ...presentFigures(r) })),
      };
    },
  };
}

export type Analytics = ReturnType<typeof createAnalytics>;
