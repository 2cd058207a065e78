import { createHash, randomBytes } from "node:crypto";
import type { Queryable } from "../db/db.js";

/** 128 random bits, base64url: 22 characters, all of them single GSM-7 septets. */
export const newPhotoToken = (): string => randomBytes(16).toString("base64url");
export const PHOTO_TOKEN_PATTERN = /^[A-Za-z0-9_-]{22}$/;
const hashOf = (token: string) => createHash("sha256").update(token).digest();

const COUNT_VIEW = `WITH v AS (
  UPDATE delivery_photo_links SET views = views + 1, first_view_at = coalesce(first_view_at, now())
   WHERE token_hash = $1 RETURNING delivery_id)`;

export interface PhotoLinkTarget {
  alert_id: string;
  region_code: string;
  status: string;
  expires_at: Date;
  language: "nl" | "en";
  text: string | null;
  has_photo: boolean;
}

/**
 * The photo links of alert SMS: one random token per delivery and attempt, kept only as its SHA-256, with the number
 * of times its page was opened. Owned here with the deliveries they belong to.
 */
export const photoLinks = {
  /** A new link for a delivery about to be sent; the token goes into the SMS and nowhere else. */
  async create(db: Queryable, deliveryId: number, alertId: string): Promise<string> {
    const token = newPhotoToken();
    await db.query(`INSERT INTO delivery_photo_links (token_hash, delivery_id, alert_id) VALUES ($1, $2, $3)`, [
      hashOf(token),
      deliveryId,
      alertId,
    ]);
    return token;
  },

  /** What a link leads to (nothing for an unknown token); `view` counts the opening of its page. */
  async open(db: Queryable, token: string, view: boolean): Promise<PhotoLinkTarget | undefined> {
    const statement = `
      ${view ? COUNT_VIEW : ""}
      SELECT a.id AS alert_id, a.region_code, a.status, a.expires_at, d.language,
             coalesce(a.texts -> d.language ->> 'sms', a.texts -> 'nl' ->> 'sms') AS text,
             EXISTS (SELECT 1 FROM alert_photos p WHERE p.alert_id = a.id) AS has_photo
        FROM delivery_photo_links l JOIN deliveries d ON d.id = l.delivery_id JOIN alerts a ON a.id = l.alert_id
       WHERE l.token_hash = $1`;
    return (await db.query<PhotoLinkTarget>(statement, [hashOf(token)])).rows[0];
  },

  /** For the report: links sent, deliveries whose link was opened, and openings in all. */
  async countsForAlert(db: Queryable, alertId: string) {
    const r = await db.query<{ links: number; opened: number; views: number }>(
      `SELECT count(DISTINCT delivery_id)::int AS links,
              count(DISTINCT delivery_id) FILTER (WHERE views > 0)::int AS opened,
              coalesce(sum(views), 0)::int AS views
         FROM delivery_photo_links WHERE alert_id = $1`,
      [alertId],
    );
    return r.rows[0];
  },
};
