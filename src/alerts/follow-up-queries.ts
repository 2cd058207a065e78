import type { Queryable } from "../db/db.js";

export interface AlertUpdateRow {
  alert_id: string;
  seq: number;
  texts: Record<string, { voice: string; sms: string }>;
  notify: "reached" | "none";
  notified: number;
  created_by: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  created_at: Date;
}

/** The follow-ups of an alert (sql/020 alert_updates): numbered 1, 2, … per alert. */
export const followUpQueries = {
  insert: (
    db: Queryable,
    u: {
      alertId: string;
      texts: object;
      notify: string;
      createdBy: string | null;
      idempotencyKey: string | null;
      requestHash: string;
      now: Date;
    },
  ) =>
    db.query<AlertUpdateRow>(
      `INSERT INTO alert_updates (alert_id, seq, texts, notify, created_by, idempotency_key, request_hash, created_at)
       SELECT $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $5, $6, $7 FROM alert_updates WHERE alert_id = $1
       RETURNING *`,
      [u.alertId, JSON.stringify(u.texts), u.notify, u.createdBy, u.idempotencyKey, u.requestHash, u.now],
    ),

  setNotified: (db: Queryable, alertId: string, seq: number, notified: number) =>
    db.query("UPDATE alert_updates SET notified = $3 WHERE alert_id = $1 AND seq = $2", [alertId, seq, notified]),

  /** The alert's latest update to those reached: status callbacks read it to catch those reached late. */
  markNotified: (db: Queryable, alertId: string, seq: number) =>
    db.query("UPDATE alerts SET notified_seq = $2 WHERE id = $1", [alertId, seq]),

  byIdempotencyKey: (db: Queryable, createdBy: string, key: string) =>
    db.query<AlertUpdateRow>("SELECT * FROM alert_updates WHERE created_by = $1 AND idempotency_key = $2", [
      createdBy,
      key,
    ]),
};
