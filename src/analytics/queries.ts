import type { Queryable } from "../db/db.js";
import { REACHED, STATUS } from "../deliveries/statuses.js";
import { statusIn } from "../deliveries/transitions.js";

export const GROUP_BY = ["unit", "kind", "channel", "hour", "language"] as const;
export type GroupBy = (typeof GROUP_BY)[number] | "total";

/**
 * The key of a figure per grouping: of the alert (`a`), of a delivery (`d`), of a tip (`s`, with the delivery it
 * answered as `sd`) and of a put-through (the delivery it came from as `pd`). Fixed SQL, never user input.
 */
const HOUR = "to_char(a.created_at AT TIME ZONE 'Europe/Amsterdam', 'HH24')";
const KEYS: Record<GroupBy, { alert: string | null; delivery: string; tip: string; putThrough: string }> = {
  total: { alert: "'total'", delivery: "'total'", tip: "'total'", putThrough: "'total'" },
  unit: { alert: "a.region_code", delivery: "a.region_code", tip: "a.region_code", putThrough: "a.region_code" },
  kind: { alert: "a.kind", delivery: "a.kind", tip: "a.kind", putThrough: "a.kind" },
  hour: { alert: HOUR, delivery: HOUR, tip: HOUR, putThrough: HOUR },
  // A tip by SMS answers the SMS channel; spoken tips, on alert calls or the Burgernet number, the voice channel.
  channel: {
    alert: null,
    delivery: "d.channel",
    tip: "CASE s.source WHEN 'sms' THEN 'sms' ELSE 'voice' END",
    putThrough: "'voice'",
  },
  language: {
    alert: null,
    delivery: "d.language",
    tip: "coalesce(sd.language, 'unknown')",
    putThrough: "coalesce(pd.language, 'unknown')",
  },
};

// The delivery a put-through came from, for the groupings that split by delivery (call.connected's deliveryId).
const PUT_THROUGH_DELIVERY = `LEFT JOIN deliveries pd
  ON pd.id = CASE WHEN e.data->>'deliveryId' ~ '^[0-9]{1,18}$' THEN (e.data->>'deliveryId')::bigint END`;

// TODO(followup): alerts.drill once that branch lands; until then every alert is live.
const DRILL = "false";

/** Per alert and key, then summed per key; the same definitions as the alert report (src/reports). */
function statement(groupBy: GroupBy): string {
  const k = KEYS[groupBy];
  return `
  WITH a AS (
    SELECT id, region_code, kind, created_at, outcome, ${DRILL} AS drill FROM alerts a
     WHERE created_at >= $1 AND created_at < $2 AND ($3::text IS NULL OR region_code = $3) AND status <> 'draft'),
  d AS (
    SELECT d.alert_id, ${k.delivery} AS key, d.participant_id, d.channel,
           ${statusIn(REACHED, "d.status")} AS reached, ${statusIn([STATUS.answered], "d.status")} AS answered
      FROM a JOIN deliveries d ON d.alert_id = a.id AND d.purpose = 'alert'),
  per_participant AS (
    SELECT alert_id, key, bool_or(reached) AS reached FROM d
     WHERE participant_id IS NOT NULL GROUP BY 1, 2, participant_id),
  people AS (
    SELECT alert_id, key, count(*) AS targeted, count(*) FILTER (WHERE reached) AS reached
      FROM per_participant GROUP BY 1, 2),
  calls AS (
    SELECT alert_id, key, count(*) FILTER (WHERE channel = 'voice') AS calls,
           count(*) FILTER (WHERE channel = 'voice' AND answered) AS answered FROM d GROUP BY 1, 2),
  tips AS (
    SELECT s.alert_id, ${k.tip} AS key, count(*) AS tips, min(s.created_at) AS first_tip_at
      FROM a JOIN sightings s ON s.alert_id = a.id
      ${k.tip.includes("sd.") ? "LEFT JOIN deliveries sd ON sd.id = s.delivery_id" : ""} GROUP BY 1, 2),
  put_through AS (
    SELECT e.alert_id, ${k.putThrough} AS key, count(*) AS put_through
      FROM a JOIN events e ON e.alert_id = a.id AND e.type = 'call.connected'
      ${k.putThrough.includes("pd.") ? PUT_THROUGH_DELIVERY : ""} GROUP BY 1, 2),
  keys AS (
    SELECT alert_id, key FROM people UNION SELECT alert_id, key FROM calls UNION SELECT alert_id, key FROM tips
    UNION SELECT alert_id, key FROM put_through
    ${k.alert ? `UNION SELECT a.id, ${k.alert} FROM a` : ""}),
  per_alert AS (
    SELECT keys.key, a.drill, a.outcome, a.created_at, coalesce(people.targeted, 0) AS targeted,
           coalesce(people.reached, 0) AS reached, coalesce(calls.calls, 0) AS calls,
           coalesce(calls.answered, 0) AS answered, coalesce(tips.tips, 0) AS tips, tips.first_tip_at,
           coalesce(put_through.put_through, 0) AS put_through
      FROM keys JOIN a ON a.id = keys.alert_id
      LEFT JOIN people USING (alert_id, key) LEFT JOIN calls USING (alert_id, key)
      LEFT JOIN tips USING (alert_id, key) LEFT JOIN put_through USING (alert_id, key))
  SELECT key, drill, count(*)::int AS alerts, sum(targeted)::int AS targeted, sum(reached)::int AS reached,
         sum(calls)::int AS calls, sum(answered)::int AS answered, sum(tips)::int AS tips,
         sum(put_through)::int AS put_through,
         count(*) FILTER (WHERE tips > 0)::int AS alerts_with_tips,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY round(extract(epoch FROM first_tip_at - created_at)::numeric, 1))
           AS median_first_tip_s,
         count(*) FILTER (WHERE outcome IS NOT NULL)::int AS closed,
         count(*) FILTER (WHERE outcome = 'found')::int AS found
    FROM per_alert GROUP BY key, drill ORDER BY key, drill`;
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
  alerts_with_tips: number;
  median_first_tip_s: number | null;
  closed: number;
  found: number;
}

export const analyticsQueries = {
  figures: (db: Queryable, groupBy: GroupBy, range: { from: Date; to: Date; region: string | null }) =>
    db.query<AnalyticsRow>(statement(groupBy), [range.from, range.to, range.region]),
};
