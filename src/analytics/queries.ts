import type { Db, Queryable } from "../db/db.js";
import { MAX_ASKS } from "../cost/collector.js";
import { FIGURE_COLUMNS, perAlertCtes, type Dimension } from "./per-alert.js";

export const GROUP_BY = ["unit", "kind", "channel", "hour", "language"] as const;
export type GroupBy = (typeof GROUP_BY)[number] | "total";

/** Which per-alert rows a grouping reads, and its key over them (`a` the alert, `r` its row). */
const GROUPINGS: Record<GroupBy, { dimension: Dimension; key: string }> = {
  total: { dimension: "alert", key: "'total'" },
  unit: { dimension: "alert", key: "a.region_code" },
  kind: { dimension: "alert", key: "a.kind" },
  hour: { dimension: "alert", key: "to_char(a.created_at AT TIME ZONE 'Europe/Amsterdam', 'HH24')" },
  channel: { dimension: "channel", key: "r.key" },
  language: { dimension: "language", key: "r.key" },
};

// Drills (sql/020 alerts.mode) are figured apart from live alerts.
const DRILL = "mode = 'drill'";

/**
 * An alert's figures stop changing once it has ended a while ago: closed or cancelled, or expired, more than an
 * hour before (the last calls are over, no SMS tip is taken for it any more), and the carrier has priced its calls
 * and SMS (or been asked as often as the collector asks). Those are rolled up once into alert_figures; the others
 * are counted from the tables at every request.
 */
const SETTLED = `(coalesce(closed_at, cancelled_at, expires_at) < now() - interval '1 hour'
                  AND (status IN ('closed', 'cancelled') OR expires_at < now() - interval '1 hour')
                  AND NOT EXISTS (SELECT 1 FROM carrier_prices c
                                   WHERE c.alert_id = al.id AND c.price IS NULL AND c.asked < ${MAX_ASKS}))`;

const IN_RANGE = `created_at >= $1 AND created_at < $2 AND ($3::text IS NULL OR region_code = $3)
                  AND status <> 'draft'`;

/** The settled alerts of the range without rows of the dimension yet. */
const toRollUp = (dimension: Dimension) => `
  SELECT id FROM alerts al WHERE ${IN_RANGE} AND ${SETTLED}
     AND NOT EXISTS (SELECT 1 FROM alert_figures f WHERE f.alert_id = al.id AND f.dimension = '${dimension}')`;

// `$1`: those alerts, as a list (see statement below).
function rollUp(dimension: Dimension): string {
  return `
  WITH source AS (SELECT id, presence_check FROM alerts WHERE id = ANY ($1::uuid[])),
  ${perAlertCtes(dimension, "source")}
  INSERT INTO alert_figures (alert_id, dimension, key, ${FIGURE_COLUMNS})
  SELECT alert_id, '${dimension}', key, ${FIGURE_COLUMNS} FROM per_alert
  ON CONFLICT DO NOTHING`;
}

// Drills are figured apart: `$4` chooses live alerts (false) or drills (true).
const CHOSEN = `${IN_RANGE} AND (${DRILL}) = $4`;

/** The chosen alerts without rolled-up rows of the dimension: counted from the tables. */
const unrolled = (dimension: Dimension) => `
  SELECT id FROM alerts al WHERE ${CHOSEN}
     AND NOT EXISTS (SELECT 1 FROM alert_figures f WHERE f.alert_id = al.id AND f.dimension = '${dimension}')`;

/**
 * `$5`: the alerts counted from the tables, read just before (a list, not a subquery, so that PostgreSQL plans
 * index lookups for the few live ones instead of scanning every delivery); every other alert is read from its rows.
 */
function statement(groupBy: GroupBy): string {
  const { dimension, key } = GROUPINGS[groupBy];
  return `
  WITH a AS (
    SELECT id, region_code, kind, created_at, outcome, presence_check, ${DRILL} AS drill,
           id = ANY ($5::uuid[]) AS counted
      FROM alerts al WHERE ${CHOSEN}),
  source AS (SELECT id, presence_check FROM alerts WHERE id = ANY ($5::uuid[])),
  ${perAlertCtes(dimension, "source")},
  r AS (
    SELECT alert_id, key, ${FIGURE_COLUMNS} FROM per_alert
    UNION ALL
    SELECT f.alert_id, f.key, ${FIGURE_COLUMNS.replace(/(\w+)/g, "f.$1")}
      FROM a JOIN alert_figures f ON f.alert_id = a.id AND f.dimension = '${dimension}' WHERE NOT a.counted)
  SELECT ${key} AS key, a.drill, count(*)::int AS alerts, sum(r.targeted)::int AS targeted,
         sum(r.reached)::int AS reached, sum(r.calls)::int AS calls, sum(r.answered)::int AS answered,
         sum(r.tips)::int AS tips, sum(r.put_through)::int AS put_through,
         percentile_cont(0.5) WITHIN GROUP (
           ORDER BY round(extract(epoch FROM r.first_tip_at - a.created_at)::numeric, 1)) AS median_first_tip_s,
         count(*) FILTER (WHERE a.outcome IS NOT NULL)::int AS closed,
         count(*) FILTER (WHERE a.outcome = 'found')::int AS found,
         sum(r.near)::int AS near, sum(r.cost_eur)::text AS cost_eur, sum(r.priced)::int AS priced
    FROM r JOIN a ON a.id = r.alert_id GROUP BY 1, 2 ORDER BY 1, 2`;
}

export interface AnalyticsRow {
  key: string;
  drill: boolean;
  alerts: number;
  targeted: number;
  reached: number;
  calls: number;
  answered: number;
  tips: number;
  put_through: number;
  median_first_tip_s: number | null;
  closed: number;
  found: number;
  /** Participants near, over the alerts that asked; null when none did. */
  near: number | null;
  /** Euros, exact (numeric as text); meaningful when `priced` > 0. */
  cost_eur: string | null;
  priced: number;
}

type Range = { from: Date; to: Date; region: string | null; drill?: boolean };
const params = (r: Range) => [r.from, r.to, r.region];

export const analyticsQueries = {
  /** Rolls up the settled alerts of the range that have no rows of this dimension yet; returns how many rows. */
  async rollUp(db: Queryable, groupBy: GroupBy, range: Range) {
    const { dimension } = GROUPINGS[groupBy];
    const ids = (await db.query<{ id: string }>(toRollUp(dimension), params(range))).rows.map((r) => r.id);
    return ids.length ? ((await db.query(rollUp(dimension), [ids])).rowCount ?? 0) : 0;
  },
  /**
   * Without JIT: the joins of CTEs are estimated at millions of rows, so PostgreSQL compiled and optimised the
   * statement on every request (seconds) to run what takes ~100 ms.
   */
  figures: (db: Db, groupBy: GroupBy, range: Range) =>
    db.withTransaction(async (tx) => {
      await tx.query("SET LOCAL jit = off");
      const chosen = [...params(range), range.drill ?? false];
      const counted = await tx.query<{ id: string }>(unrolled(GROUPINGS[groupBy].dimension), chosen);
      return tx.query<AnalyticsRow>(statement(groupBy), [...chosen, counted.rows.map((r) => r.id)]);
    }),
};
