import type { Queryable } from "../db/db.js";
import { hasWaitingSql } from "../deliveries/ending.js";
import { ALERT_TRANSITIONS, type AlertStatus, type AlertTransition } from "./states.js";

export interface AlertRow {
  id: string;
  region_code: string;
  kind: string;
  priority: "normal" | "urgent";
  status: AlertStatus;
  texts: Record<string, { voice: string; sms: string }>;
  area: Record<string, unknown>;
  area_polygon: unknown;
  center_lat: number;
  center_lon: number;
  channels: string[];
  expires_at: Date;
  created_by: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  targeting: Record<string, unknown>;
  outcome: string | null;
  closing_message: string | null;
  created_at: Date;
  dispatch_started_at: Date | null;
  dispatched_at: Date | null;
  closed_at: Date | null;
  cancelled_at: Date | null;
  presence_check: boolean;
  mode: "live" | "drill";
  escalation: Escalation | null;
  escalation_checked_at: Date | null;
  widened: number;
}

/** Chosen at creation: grow the area to radiusMeters once when fewer than minAnswered answered in afterMinutes. */
export interface Escalation {
  afterMinutes: number;
  minAnswered: number;
  radiusMeters: number;
}

export const alertQueries = {
  insert: (
    db: Queryable,
    a: {
      region: string;
      kind: string;
      priority: string;
      status: string;
      texts: object;
      area: object;
      polygons: unknown;
      lat: number;
      lon: number;
      channels: string[];
      expiresAt: Date;
      createdBy: string | null;
      idempotencyKey: string | null;
      requestHash: string;
      now: Date;
      source?: string;
      capSender?: string | null;
      capIdentifier?: string | null;
      presenceCheck?: boolean;
      mode?: "live" | "drill";
      escalation?: Escalation | null;
    },
  ) =>
    db.query<AlertRow>(
      `INSERT INTO alerts (region_code, kind, priority, status, texts, area, area_polygon, center_lat, center_lon,
                           channels, expires_at, created_by, idempotency_key, request_hash, created_at,
                           dispatch_started_at, source, cap_sender, cap_identifier, presence_check, mode,
                           escalation)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
               CASE WHEN $4 = 'dispatching' THEN $15::timestamptz END, $16, $17, $18, $19, $20, $21)
       RETURNING *`,
      [
        a.region,
        a.kind,
        a.priority,
        a.status,
        JSON.stringify(a.texts),
        JSON.stringify(a.area),
        a.polygons ? JSON.stringify(a.polygons) : null,
        a.lat,
        a.lon,
        a.channels,
        a.expiresAt,
        a.createdBy,
        a.idempotencyKey,
        a.requestHash,
        a.now,
        a.source ?? "api",
        a.capSender ?? null,
        a.capIdentifier ?? null,
        a.presenceCheck ?? false,
        a.mode ?? "live",
        a.escalation ? JSON.stringify(a.escalation) : null,
      ],
    ),

  byIdempotencyKey: (db: Queryable, createdBy: string, key: string) =>
    db.query<AlertRow>("SELECT * FROM alerts WHERE created_by = $1 AND idempotency_key = $2", [createdBy, key]),

  get: (db: Queryable, id: string, lock = false) =>
    db.query<AlertRow>(`SELECT * FROM alerts WHERE id = $1 ${lock ? "FOR UPDATE" : ""}`, [id]),

  setTargeting: (db: Queryable, id: string, targeting: object) =>
    db.query("UPDATE alerts SET targeting = $2 WHERE id = $1", [id, JSON.stringify(targeting)]),

  list: (
    db: Queryable,
    region: string | null,
    query: { status?: string; limit?: number; before?: string; mode?: string },
  ) =>
    db.query<AlertRow>(
      `SELECT * FROM alerts
        WHERE ($1::text IS NULL OR region_code = $1) AND ($2::text IS NULL OR status = $2)
          AND ($3::timestamptz IS NULL OR created_at < $3) AND ($5::text IS NULL OR mode = $5)
        ORDER BY created_at DESC LIMIT $4`,
      [
        region,
        query.status ?? null,
        query.before ? new Date(query.before) : null,
        query.limit ?? 50,
        query.mode ?? null,
      ],
    ),

  deliveries: (db: Queryable, id: string, status: string | null, after: number, limit: number) =>
    db.query(
      `SELECT id, participant_id, phone, channel, purpose, language, rank, distance_m, status, attempts,
              next_attempt_at, provider_sid, answered_by, last_error_code, last_error, answered_at, completed_at,
              duration_s, updated_at
         FROM deliveries WHERE alert_id = $1 AND ($2::text IS NULL OR status = $2) AND id > $3
        ORDER BY id LIMIT $4`,
      [id, status, after, limit],
    ),

  /** Transition `dispatch`: a draft starts. False when the alert was not a draft. */
  dispatch: (db: Queryable, id: string, now: Date) => transition(db, "dispatch", id, "dispatch_started_at = $4", [now]),

  /** Transition `cancel`: nothing more is sent. */
  cancel: (db: Queryable, id: string, now: Date) => transition(db, "cancel", id, "cancelled_at = $4", [now]),

  /** Transition `close`: the outcome and the closing message. */
  close: (db: Queryable, id: string, c: { outcome: string; message: string; now: Date }) =>
    transition(db, "close", id, "outcome = $4, closing_message = $5, closed_at = $6", [c.outcome, c.message, c.now]),

  /** Transition `dispatched`, housekeeping: every dispatching alert with no alert message left to submit. */
  dispatched: (db: Queryable) => {
    const { from, to } = ALERT_TRANSITIONS.dispatched;
    return db.query(
      `UPDATE alerts a SET status = $1, dispatched_at = now()
        WHERE a.status = ANY ($2::text[]) AND NOT ${hasWaitingSql("a")}`,
      [to, from],
    );
  },

  /** Not a status change: new texts and expiry for the messages not yet sent. */
  updateTexts: (db: Queryable, id: string, texts: object, expiresAt: Date) =>
    db.query("UPDATE alerts SET texts = $2, expires_at = $3 WHERE id = $1", [id, JSON.stringify(texts), expiresAt]),
};

/** One status UPDATE for every transition: from and to come from the table in states.ts. True when it applied. */
async function transition(db: Queryable, name: AlertTransition, id: string, set: string, values: unknown[]) {
  const { from, to } = ALERT_TRANSITIONS[name];
  const res = await db.query(`UPDATE alerts SET status = $2, ${set} WHERE id = $1 AND status = ANY ($3::text[])`, [
    id,
    to,
    from,
    ...values,
  ]);
  return res.rowCount === 1;
}
