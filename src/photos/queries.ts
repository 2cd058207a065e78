import type { Queryable } from "../db/db.js";
import { FINAL_ALERT_STATUSES } from "../alerts/states.js";
import { sqlList } from "../db/sql-list.js";

export interface PhotoRow {
  image: Buffer;
  content_type: string;
  width: number;
  height: number;
}

export const photoQueries = {
  save: (db: Queryable, p: { alertId: string; image: Buffer; width: number; height: number; keyId: string }) =>
    db.query(
      `INSERT INTO alert_photos (alert_id, image, content_type, width, height, uploaded_by)
       VALUES ($1, $2, 'image/jpeg', $3, $4, $5)
       ON CONFLICT (alert_id) DO UPDATE SET image = EXCLUDED.image, width = EXCLUDED.width,
             height = EXCLUDED.height, uploaded_by = EXCLUDED.uploaded_by, created_at = now()`,
      [p.alertId, p.image, p.width, p.height, p.keyId],
    ),

  get: (db: Queryable, alertId: string) =>
    db.query<PhotoRow>(`SELECT image, content_type, width, height FROM alert_photos WHERE alert_id = $1`, [alertId]),

  exists: async (db: Queryable, alertId: string) =>
    (await db.query(`SELECT 1 FROM alert_photos WHERE alert_id = $1`, [alertId])).rowCount! > 0,

  /** The photo of one alert that just ended (close, cancel). */
  deleteFor: (db: Queryable, alertId: string) => db.query(`DELETE FROM alert_photos WHERE alert_id = $1`, [alertId]),

  /** Retention: photos of every alert that has ended or expired. */
  deleteEnded: (db: Queryable, now: Date) =>
    db.query(
      `DELETE FROM alert_photos p USING alerts a
        WHERE a.id = p.alert_id AND (a.status IN (${sqlList(FINAL_ALERT_STATUSES)}) OR a.expires_at <= $1)`,
      [now],
    ),
};
