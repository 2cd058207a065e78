import { liveStatusSql } from "../alerts/states.js";
import { prepared, type Queryable } from "../db/db.js";
import { AT_CARRIER, FAILED, FINAL, REACHED, WAITING, isIn, type DeliveryStatus } from "./statuses.js";
import { PRESENCE_OF_PARTICIPANT, type PresenceCounts } from "./presence.js";
import { statusIn } from "./transitions.js";

export type Channel = "voice" | "sms";
export type Purpose = "alert" | "closing" | "update";
export type StatusCounts = Partial<Record<DeliveryStatus, number>>;

/** Deliveries of one alert (of one purpose) by status, and by channel and status; participants targeted and reached. */
export interface DeliveryCounts {
  byStatus: StatusCounts;
  byChannel: Record<Channel, StatusCounts>;
  /** Participants with a delivery of this purpose. */
  participants: number;
  /** Participants with a delivery in REACHED: the ones the closing message goes to. */
  reached: number;
  /** How far from the area's centre the farthest one reached is (deliveries go nearest first). */
  reachedWithinM: number | null;
  /** Participants by their answer to "are you nearby now?" (presence.ts): each counted once, near first. */
  presence: PresenceCounts;
}

interface GroupRow {
  purpose: Purpose;
  channel: Channel;
  status: DeliveryStatus;
  n: number;
}

// The progress publisher runs this per live alert every few seconds, the alert's GET on every console poll.
const alertStatement = prepared(
  "deliveries-count-by-status",
  `WITH d AS (SELECT participant_id, channel, status, distance_m, presence FROM deliveries
              WHERE alert_id = $1 AND purpose = $2),
        per AS (SELECT bool_or(${statusIn(REACHED)}) AS reached, ${PRESENCE_OF_PARTICIPANT} AS presence FROM d
                 WHERE participant_id IS NOT NULL GROUP BY participant_id)
   SELECT (SELECT coalesce(json_agg(g), '[]') FROM (SELECT $2 AS purpose, channel, status, count(*)::int AS n
                                                      FROM d GROUP BY channel, status) g) AS groups,
          (SELECT count(*)::int FROM per) AS participants,
          (SELECT count(*) FILTER (WHERE reached)::int FROM per) AS reached,
          (SELECT max(distance_m) FROM d WHERE ${statusIn(REACHED)}) AS reached_within_m,
          (SELECT json_object_agg(presence, n) FROM (SELECT presence, count(*)::int AS n FROM per
                                                      WHERE presence IS NOT NULL GROUP BY presence) pr) AS presence`,
);

// /metrics/database: deliveries of live and recent alerts, every purpose.
const recentStatement = `
  SELECT d.purpose, d.channel, d.status, count(*)::int AS n FROM deliveries d JOIN alerts a ON a.id = d.alert_id
   WHERE ${liveStatusSql("a")} OR a.created_at > now() - interval '1 day' GROUP BY 1, 2, 3`;

/**
 * The one count of deliveries by status: the alert's GET, its report (JSON and CSV), alert.progress (live feed and
 * webhooks), /metrics and the demo all read it. An alert: its deliveries of `purpose`; `recent`: every delivery of
 * the live alerts and of those created in the last day, by purpose, channel and status (participants not counted).
 */
export async function countByStatus(db: Queryable, alertId: string, purpose?: Purpose): Promise<DeliveryCounts>;
export async function countByStatus(db: Queryable, scope: "recent"): Promise<GroupRow[]>;
export async function countByStatus(db: Queryable, scope: string, purpose: Purpose = "alert") {
  if (scope === "recent") return (await db.query<GroupRow>(recentStatement)).rows;
  const row = (
    await db.query<{
      groups: GroupRow[];
      participants: number;
      reached: number;
      reached_within_m: number | null;
      presence: Partial<PresenceCounts> | null;
    }>(alertStatement, [scope, purpose])
  ).rows[0];
  const counts: DeliveryCounts = {
    byStatus: {},
    byChannel: { voice: {}, sms: {} },
    participants: row.participants,
    reached: row.reached,
    reachedWithinM: row.reached_within_m === null ? null : Number(row.reached_within_m),
    presence: { near: 0, away: 0, unknown: 0, ...row.presence },
  };
  for (const g of row.groups) {
    counts.byStatus[g.status] = (counts.byStatus[g.status] ?? 0) + g.n;
    counts.byChannel[g.channel][g.status] = g.n;
  }
  return counts;
}

export const sumOf = (counts: StatusCounts, group?: readonly DeliveryStatus[]) =>
  Object.entries(counts).reduce((n, [s, v]) => n + (!group || isIn(group, s) ? (v ?? 0) : 0), 0);

const notReached = (group: readonly DeliveryStatus[]) => group.filter((s) => !isIn(REACHED, s));

/**
 * The progress figures: deliveries waiting (`queued`), at the carrier and not yet through, and final without getting
 * through (`unreached`), out of `total`; `reached` counts participants (REACHED, statuses.ts).
 */
export function progressSummary(c: DeliveryCounts) {
  return {
    total: sumOf(c.byStatus),
    queued: sumOf(c.byStatus, WAITING),
    atCarrier: sumOf(c.byStatus, notReached(AT_CARRIER)),
    reached: c.reached,
    unreached: sumOf(c.byStatus, notReached(FINAL)),
  };
}
export type ProgressSummary = ReturnType<typeof progressSummary>;

/** Not final yet (waiting or at the carrier). */
export const inProgressOf = (c: StatusCounts) => sumOf(c, [...WAITING, ...AT_CARRIER]);
/** Failed for good. */
export const failedOf = (c: StatusCounts) => sumOf(c, FAILED);

const firstAnswer = prepared(
  "deliveries-first-answer",
  `SELECT min(answered_at) AS at FROM deliveries
    WHERE alert_id = $1 AND purpose = 'alert' AND channel = 'voice' AND status = 'answered'`,
);

/** When the first call of the alert was answered by a person. */
export const firstAnswerAt = async (db: Queryable, alertId: string) =>
  (await db.query<{ at: Date | null }>(firstAnswer, [alertId])).rows[0].at;
