import { REACHED, STATUS } from "../deliveries/statuses.js";
import { statusIn } from "../deliveries/transitions.js";

/**
 * How an alert's figures are split: `alert` one row per alert (unit, kind and hour are the alert's own), `channel`
 * and `language` one row per channel or language of its deliveries (and of its tips and put-throughs).
 */
export const DIMENSIONS = ["alert", "channel", "language"] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/**
 * The key of a figure per dimension: of a delivery (`d`), of a tip (`s`, with the delivery it answered as `sd`)
 * and of a put-through (the delivery it came from as `pd`). Fixed SQL, never user input.
 */
const KEYS: Record<
  Dimension,
  { delivery: string; tip: string; putThrough: string; price: string; everyAlert: boolean }
> = {
  alert: { delivery: "'all'", tip: "'all'", putThrough: "'all'", price: "'all'", everyAlert: true },
  // A tip by SMS answers the SMS channel; spoken tips, on alert calls or the Burgernet number, the voice channel.
  channel: {
    delivery: "d.channel",
    tip: "CASE s.source WHEN 'sms' THEN 'sms' ELSE 'voice' END",
    putThrough: "'voice'",
    price: "c.channel",
    everyAlert: false,
  },
  language: {
    delivery: "d.language",
    tip: "coalesce(sd.language, 'unknown')",
    putThrough: "coalesce(pd.language, 'unknown')",
    // A price is kept by SID: the delivery with that SID says its language (closing messages have one too).
    price: "coalesce(cd.language, 'unknown')",
    everyAlert: false,
  },
};

// The delivery a put-through came from, for the dimensions that split by delivery (call.connected's deliveryId).
const PUT_THROUGH_DELIVERY = `LEFT JOIN deliveries pd
  ON pd.id = CASE WHEN e.data->>'deliveryId' ~ '^[0-9]{1,18}$' THEN (e.data->>'deliveryId')::bigint END`;

export const FIGURE_COLUMNS =
  "targeted, reached, calls, answered, tips, put_through, first_tip_at, near, cost_eur, priced";

/**
 * CTEs that end in `per_alert (alert_id, key, <FIGURE_COLUMNS>)` for the alerts of the CTE named `source` (its
 * columns `id` and `presence_check`), with the definitions of the alert report (src/reports): participants targeted
 * and reached, alert calls and those a person answered, every tip, every `call.connected`, participants who said
 * they are near (null when the alert did not ask), and the carrier's price in euros of every call and SMS, closing
 * ones included (src/cost/actual.ts: rounded to the cent per alert, as the report shows it; `priced` counts the
 * prices known).
 */
export function perAlertCtes(dimension: Dimension, source: string): string {
  const k = KEYS[dimension];
  return `
  d AS (
    SELECT d.alert_id, ${k.delivery} AS key, d.participant_id, d.channel,
           ${statusIn(REACHED, "d.status")} AS reached, ${statusIn([STATUS.answered], "d.status")} AS answered,
           d.presence IS NOT DISTINCT FROM 'near' AS near
      FROM ${source} a JOIN deliveries d ON d.alert_id = a.id AND d.purpose = 'alert'),
  per_participant AS (
    SELECT alert_id, key, bool_or(reached) AS reached, bool_or(near) AS near FROM d
     WHERE participant_id IS NOT NULL GROUP BY 1, 2, participant_id),
  people AS (
    SELECT alert_id, key, count(*) AS targeted, count(*) FILTER (WHERE reached) AS reached,
           count(*) FILTER (WHERE near) AS near
      FROM per_participant GROUP BY 1, 2),
  calls AS (
    SELECT alert_id, key, count(*) FILTER (WHERE channel = 'voice') AS calls,
           count(*) FILTER (WHERE channel = 'voice' AND answered) AS answered FROM d GROUP BY 1, 2),
  tips AS (
    SELECT s.alert_id, ${k.tip} AS key, count(*) AS tips, min(s.created_at) AS first_tip_at
      FROM ${source} a JOIN sightings s ON s.alert_id = a.id
      ${k.tip.includes("sd.") ? "LEFT JOIN deliveries sd ON sd.id = s.delivery_id" : ""} GROUP BY 1, 2),
  put_through AS (
    SELECT e.alert_id, ${k.putThrough} AS key, count(*) AS put_through
      FROM ${source} a JOIN events e ON e.alert_id = a.id AND e.type = 'call.connected'
      ${k.putThrough.includes("pd.") ? PUT_THROUGH_DELIVERY : ""} GROUP BY 1, 2),
  prices AS (
    SELECT c.alert_id, ${k.price} AS key, round(sum(c.price_eur), 2) AS cost_eur, count(c.price_eur) AS priced
      FROM ${source} a JOIN carrier_prices c ON c.alert_id = a.id
      ${k.price.includes("cd.") ? "LEFT JOIN deliveries cd ON cd.provider_sid = c.sid" : ""} GROUP BY 1, 2),
  keys AS (
    SELECT alert_id, key FROM people UNION SELECT alert_id, key FROM calls UNION SELECT alert_id, key FROM tips
    UNION SELECT alert_id, key FROM put_through UNION SELECT alert_id, key FROM prices
    ${k.everyAlert ? `UNION SELECT id, 'all' FROM ${source}` : ""}),
  per_alert AS (
    SELECT keys.alert_id, keys.key, coalesce(people.targeted, 0)::int AS targeted,
           coalesce(people.reached, 0)::int AS reached, coalesce(calls.calls, 0)::int AS calls,
           coalesce(calls.answered, 0)::int AS answered, coalesce(tips.tips, 0)::int AS tips, tips.first_tip_at,
           coalesce(put_through.put_through, 0)::int AS put_through,
           CASE WHEN src.presence_check THEN coalesce(people.near, 0)::int END AS near,
           coalesce(prices.cost_eur, 0) AS cost_eur, coalesce(prices.priced, 0)::int AS priced
      FROM keys JOIN ${source} src ON src.id = keys.alert_id
      LEFT JOIN people USING (alert_id, key) LEFT JOIN calls USING (alert_id, key)
      LEFT JOIN tips USING (alert_id, key) LEFT JOIN put_through USING (alert_id, key)
      LEFT JOIN prices USING (alert_id, key))`;
}
