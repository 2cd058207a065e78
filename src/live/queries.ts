import type { Queryable } from "../db/db.js";
import type { EventRow } from "../webhooks/payload.js";

const EVENT_COLUMNS = "id, seq, type, region_code, alert_id, data, created_at";
/** A client that was away longer gets the newest, not everything. */
export const CATCH_UP_LIMIT = 1_000;

export const liveQueries = {
  /** Events named by notices that arrived together. */
  eventsByIds: (db: Queryable, ids: string[]) =>
    db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ANY($1::uuid[]) ORDER BY seq`, [ids]),

  /** What this instance may have missed while its LISTEN connection was down. */
  eventsAfterReconnect: (db: Queryable, afterSeq: number) =>
    db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE seq > $1 AND created_at > now() - interval '10 minutes'
        ORDER BY seq LIMIT ${CATCH_UP_LIMIT}`,
      [afterSeq],
    ),

  /** A client resuming from `?since=`: its region's events of the last day after that one. */
  eventsSince: (db: Queryable, sinceSeq: number, region: string | null) =>
    db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE seq > $1 AND ($2::text IS NULL OR region_code = $2)
          AND created_at > now() - interval '24 hours' ORDER BY seq LIMIT ${CATCH_UP_LIMIT}`,
      [sinceSeq, region],
    ),
};
