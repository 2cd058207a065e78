import type { Queryable } from "../db/db.js";
import { ENQUEUE_COLUMNS, enqueue } from "../deliveries/enqueue.js";
import type { ResolvedArea, UnitClip } from "./area.js";
import { pgPolygon, type Ring } from "../geo/geometry.js";
import type { Language } from "../languages/languages.js";

export interface TargetingInput {
  area: ResolvedArea;
  channels: string[];
  /** A normal alert at night: no calls, SMS only. */
  quiet: boolean;
  at: Date;
  /** The police unit when the area crosses its boundary: only locations inside it are targeted. */
  clip?: UnitClip;
  /** A drill: only participants who opted in to drills. */
  drill?: boolean;
  /** Widening: distances (and so the order) from the first area's centre, not the new one's. */
  origin?: { lat: number; lon: number };
  /** Widening: participants this alert already targeted are left out (skipped as already_targeted). */
  widening?: string;
}

export type SkipReason = "time_window" | "quiet_hours" | "channel" | "outside_region" | "already_targeted";

/**
 * The targeting query as a CTE named `targets`: one row per active participant with a location inside the area,
 * whether to send by voice and by SMS now (neither when skipped) and why it is skipped. It reads only the GiST
 * index on point(lon, lat) (an index-only scan: sql/008 copies what it needs of the participant onto the
 * locations): a circle's bounding box, then the exact haversine distance; a polygon's point-in-polygon check.
 */
export function targetsCte(
  { area, channels, quiet, at, clip, drill, origin, widening }: TargetingInput,
  firstParam = 1,
) {
  const values: unknown[] = [];
  const p = (v: unknown) => {
    values.push(v);
    return `$${firstParam + values.length - 1}`;
  };
  const { box, center } = area;
  const distanceFrom = (c: { lat: number; lon: number }) => `(2 * 6371008.8 * asin(sqrt(
      power(sin(radians(l.lat - ${p(c.lat)}::float8) / 2), 2)
      + cos(radians(${p(c.lat)}::float8)) * cos(radians(l.lat))
        * power(sin(radians(l.lon - ${p(c.lon)}::float8) / 2), 2))))`;
  const distance = distanceFrom(center);
  const ordered = origin ? distanceFrom(origin) : distance;
  const inPolygons = (polygons: Ring[][]) =>
    polygons
      .map((rings) => {
        const [outer, ...holes] = rings;
        const inHoles = holes.map((h) => ` AND NOT point(l.lon, l.lat) <@ ${p(pgPolygon(h))}::polygon`).join("");
        return `(point(l.lon, l.lat) <@ ${p(pgPolygon(outer))}::polygon${inHoles})`;
      })
      .join(" OR ");
  const circle = area.radiusMeters !== undefined;
  const shape = circle ? `${distance} <= ${p(area.radiusMeters)}::float8` : inPolygons(area.polygons!);
  // A circle is found by its box in the index, then the exact distance. A polygon is found in the index by itself:
  // PostgreSQL prices each geometric test at 1 row in 1,000, so box and polygon together looked like 3 locations of
  // 3.6 M and the grouping below was planned as sorts (external, on disk) instead of one hash: 195 -> 135 ms for the
  // ~10 km polygon among 3,000,000 participants on the embedded server.
  const inBox = () => `point(l.lon, l.lat) <@ box(point(${p(box.minLon)}, ${p(box.minLat)}),
                                        point(${p(box.maxLon)}, ${p(box.maxLat)}))`;
  // Tested only when the area crosses the unit's boundary; otherwise every location of the area is inside. A location
  // knows its unit (sql/028); one that does not (on two units' simplified boundaries, or not yet assigned) is tested
  // against the unit's polygons, which give the same answer (testing every location so cost a ~12 km polygon among
  // 3,000,000 participants 39–49 ms, bench/RESULTS.md).
  const inUnit = clip
    ? `(CASE WHEN l.unit IS NOT NULL THEN l.unit = ${p(clip.unit)} ELSE (${inPolygons(clip.polygons)}) END)`
    : "true";
  const alreadyTargeted = widening
    ? `WHEN EXISTS (SELECT 1 FROM deliveries x WHERE x.alert_id = ${p(widening)}::uuid
                       AND (x.participant_id = candidates.participant_id OR x.phone = candidates.phone))
         THEN 'already_targeted' `
    : "";
  // Drills are rare and small: the participant's opt-in is read from its row, not copied onto the index.
  const drillsOnly = drill
    ? " AND EXISTS (SELECT 1 FROM participants dp WHERE dp.id = l.participant_id AND dp.drills)"
    : "";
  const sql = `
    loc AS (
      SELECT l.participant_id, l.phone, l.language, l.voice, l.sms, l.text_only, ${ordered} AS distance_m,
             (l.window_days IS NULL
              OR window_open(l.window_days, l.window_from, l.window_to, ${p(at)}::timestamptz)) AS open,
             ${inUnit} AS in_unit
        FROM participant_locations l
       WHERE l.active
         AND ${circle ? `${inBox()} AND (${shape})` : `(${shape})`}${drillsOnly}
    ),
    per AS (
      SELECT participant_id, phone, language, voice, sms, text_only, bool_or(in_unit) AS in_unit,
             bool_or(open AND in_unit) AS open,
             coalesce(min(distance_m) FILTER (WHERE open AND in_unit), min(distance_m) FILTER (WHERE in_unit),
                      min(distance_m)) AS distance_m
        FROM loc GROUP BY participant_id, phone, language, voice, sms, text_only
    ),
    candidates AS (
      SELECT participant_id, phone, language, open, in_unit, round(distance_m)::int AS distance_m,
             'voice' = ANY (${p(channels)}::text[]) AND voice AS voice_ok,
             -- A text-only participant is never called (voice is false for them, sql/021) and gets an SMS even
             -- when the alert is voice only.
             ('sms' = ANY (${p(channels)}::text[]) OR text_only) AND sms AS sms_ok
        FROM per
    ),
    targets AS (
      SELECT participant_id, phone, language, distance_m,
             open AND voice_ok AND NOT ${p(quiet)}::boolean AS send_voice,
             open AND sms_ok AS send_sms,
             CASE ${alreadyTargeted}WHEN NOT in_unit THEN 'outside_region'
                  WHEN NOT open THEN 'time_window'
                  WHEN NOT (voice_ok OR sms_ok) THEN 'channel'
                  WHEN ${p(quiet)}::boolean AND voice_ok AND NOT sms_ok THEN 'quiet_hours' END AS skip_reason
        FROM candidates
    )`;
  return { sql, values };
}

type CountRow = { skip_reason: SkipReason | null; language: Language; n: number; voice: number; sms: number };

export interface LanguageCounts {
  participants: number;
  voice: number;
  sms: number;
}

export interface TargetingCounts {
  participants: number;
  phoneNumbers: number;
  voice: number;
  sms: number;
  skipped: Record<Exclude<SkipReason, "already_targeted">, number> & { already_targeted?: number };
  /** Those reached, by their language: who gets which text (or the Dutch one, introduced). */
  byLanguage: Partial<Record<Language, LanguageCounts>>;
}

const COUNTS = `skip_reason, language, count(*)::int AS n,
            count(*) FILTER (WHERE send_voice)::int AS voice,
            count(*) FILTER (WHERE send_sms)::int AS sms`;

/** The preview's statement: counts by skip reason, writing nothing. */
export function countStatement(input: TargetingInput): { text: string; values: unknown[] } {
  const { sql, values } = targetsCte(input);
  return {
    text: `WITH ${sql}
     SELECT ${COUNTS}
       FROM targets GROUP BY skip_reason, language`,
    values,
  };
}

/** Counts without writing anything: the preview. */
export async function countTargets(db: Queryable, input: TargetingInput): Promise<TargetingCounts> {
  const { text, values } = countStatement(input);
  return toCounts((await db.query<CountRow>(text, values)).rows);
}

function toCounts(rows: CountRow[]): TargetingCounts {
  const counts: TargetingCounts = {
    participants: 0,
    phoneNumbers: 0,
    voice: 0,
    sms: 0,
    skipped: { time_window: 0, quiet_hours: 0, channel: 0, outside_region: 0 },
    byLanguage: {},
  };
  for (const r of rows) {
    const n = Number(r.n);
    if (r.skip_reason) {
      counts.skipped[r.skip_reason] = (counts.skipped[r.skip_reason] ?? 0) + n; // already_targeted: widening only
      continue;
    }
    // One active participant per phone number (a unique index): participants and numbers are the same count.
    counts.participants += n;
    counts.phoneNumbers += n;
    counts.voice += Number(r.voice);
    counts.sms += Number(r.sms);
    counts.byLanguage[r.language] = { participants: n, voice: Number(r.voice), sms: Number(r.sms) };
  }
  return counts;
}

/**
 * The parts of the enqueue statement: `head` ends with the CTE `ranked` (the selected participants, nearest
 * first, with phone and language), and `rows` selects a delivery per participant and channel from it, which
 * src/deliveries/enqueue.ts inserts. $1 is the alert id, $2 whether it is urgent.
 */
export function enqueueStatement(input: TargetingInput) {
  const { sql, values } = targetsCte(input, 3);
  // Widening: the added ones come after everyone targeted before (they lie farther from the first area).
  const rankFrom = input.widening ? "(SELECT coalesce(max(w.rank), 0) FROM deliveries w WHERE w.alert_id = $1)" : "0";
  return {
    head: `WITH ${sql},
     ranked AS (
       SELECT *, row_number() OVER (ORDER BY distance_m, phone) + ${rankFrom} AS rank
         FROM targets WHERE skip_reason IS NULL
     )`,
    rows: `SELECT $1::uuid, participant_id, phone, ch, 'alert', language, $2::boolean, rank, distance_m
             FROM ranked
             CROSS JOIN LATERAL (VALUES ('voice', send_voice), ('sms', send_sms)) AS c (ch, send) WHERE send`,
    columns: ENQUEUE_COLUMNS,
    values,
  };
}

/** Inserts one delivery per selected participant and channel, nearest first; returns the counts, in one pass. */
export async function insertDeliveries(
  db: Queryable,
  alertId: string,
  urgent: boolean,
  input: TargetingInput,
): Promise<TargetingCounts> {
  const { head, rows, values } = enqueueStatement(input);
  const then = `SELECT ${COUNTS}
       FROM targets, (SELECT count(*) FROM inserted) AS written
      GROUP BY skip_reason, language`;
  const res = await enqueue<CountRow>(db, { head, rows, then, values: [alertId, urgent, ...values] });
  return toCounts(res.rows);
}
