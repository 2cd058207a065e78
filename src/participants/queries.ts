import type { Queryable } from "../db/db.js";
import type { StoredWindow } from "./windows.js";
import type { Language } from "../languages/languages.js";

export interface ParticipantRow {
  id: string;
  phone: string | null;
  phone_type: string | null;
  language: Language;
  channels: string[];
  text_only: boolean;
  drills: boolean;
  status: "pending" | "active" | "unsubscribed" | "erased";
  code_hash: string | null;
  code_expires_at: Date | null;
  code_attempts: number;
  code_sent_at: Date | null;
  created_at: Date;
  verified_at: Date | null;
}

export interface LocationRow extends StoredWindow {
  id: string;
  kind: "home" | "work";
  postcode: string;
  house_number: string | null;
  lat: number;
  lon: number;
  source: "pc4" | "exact";
}

export type NewLocation = Omit<LocationRow, "id">;

export const participantQueries = {
  insert: (
    db: Queryable,
    p: {
      phone: string;
      phoneType: string;
      language: string;
      channels: string[];
      textOnly: boolean;
      codeHash: string;
      expiresAt: Date;
      now: Date;
      drills?: boolean;
    },
  ) =>
    db.query<{ id: string }>(
      `INSERT INTO participants (phone, phone_type, language, channels, code_hash, code_expires_at, code_sent_at,
                                 created_at, updated_at, text_only, drills)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7, $8, $9) RETURNING id`,
      [p.phone, p.phoneType, p.language, p.channels, p.codeHash, p.expiresAt, p.now, p.textOnly, p.drills ?? false],
    ),

  insertLocations: (db: Queryable, participantId: string, locations: NewLocation[]) =>
    db.query(
      `INSERT INTO participant_locations
         (participant_id, kind, postcode, house_number, lat, lon, source, window_days, window_from, window_to)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::text[],
                               $8::smallint[], $9::time[], $10::time[])`,
      [
        participantId,
        locations.map((l) => l.kind),
        locations.map((l) => l.postcode),
        locations.map((l) => l.house_number),
        locations.map((l) => l.lat),
        locations.map((l) => l.lon),
        locations.map((l) => l.source),
        locations.map((l) => l.window_days),
        locations.map((l) => l.window_from),
        locations.map((l) => l.window_to),
      ],
    ),

  deleteLocations: (db: Queryable, participantId: string) =>
    db.query("DELETE FROM participant_locations WHERE participant_id = $1", [participantId]),

  get: (db: Queryable, id: string, lock = false) =>
    db.query<ParticipantRow>(`SELECT * FROM participants WHERE id = $1 ${lock ? "FOR UPDATE" : ""}`, [id]),

  locations: (db: Queryable, participantId: string) =>
    db.query<LocationRow>(
      `SELECT id, kind, postcode, house_number, lat, lon, source, window_days, window_from::text, window_to::text
         FROM participant_locations WHERE participant_id = $1 ORDER BY kind, postcode`,
      [participantId],
    ),

  recentSends: (db: Queryable, phone: string, since: Date) =>
    db.query<{ n: number }>("SELECT count(*) AS n FROM participants WHERE phone = $1 AND code_sent_at > $2", [
      phone,
      since,
    ]),

  newCode: (db: Queryable, id: string, codeHash: string, expiresAt: Date, now: Date) =>
    db.query(
      `UPDATE participants
          SET code_hash = $2, code_expires_at = $3, code_attempts = 0, code_sent_at = $4, updated_at = $4
        WHERE id = $1`,
      [id, codeHash, expiresAt, now],
    ),

  countAttempt: (db: Queryable, id: string) =>
    db.query<{ code_attempts: number }>(
      "UPDATE participants SET code_attempts = code_attempts + 1 WHERE id = $1 RETURNING code_attempts",
      [id],
    ),

  /** A proven re-registration replaces the earlier active registration of the same phone. */
  supersedeActive: (db: Queryable, phone: string, now: Date) =>
    db.query(
      `UPDATE participants SET status = 'unsubscribed', unsubscribed_at = $2, updated_at = $2
        WHERE phone = $1 AND status = 'active'`,
      [phone, now],
    ),

  activate: (db: Queryable, id: string, now: Date) =>
    db.query(
      `UPDATE participants SET status = 'active', verified_at = $2, updated_at = $2,
              code_hash = NULL, code_expires_at = NULL, code_attempts = 0
        WHERE id = $1`,
      [id, now],
    ),

  update: (
    db: Queryable,
    id: string,
    fields: { language?: string; channels?: string[]; textOnly?: boolean; drills?: boolean },
    now: Date,
  ) =>
    db.query(
      `UPDATE participants SET language = coalesce($2, language), channels = coalesce($3, channels), updated_at = $4,
              text_only = coalesce($5, text_only),
              drills = coalesce($6, drills)
        WHERE id = $1`,
      [id, fields.language ?? null, fields.channels ?? null, now, fields.textOnly ?? null, fields.drills ?? null],
    ),

  /** OEFENING / DRILL by SMS: the active participant of this phone takes part in drills, or no longer. */
  setDrillsByPhone: (db: Queryable, phone: string, drills: boolean, now: Date) =>
    db.query("UPDATE participants SET drills = $2, updated_at = $3 WHERE phone = $1 AND status = 'active'", [
      phone,
      drills,
      now,
    ]),

  /**
   * Stops every registration of this phone: the active one, and pending ones (someone registered the number
   * and its owner says stop, so the registration ends before it starts). Returns each with its former status.
   */
  unsubscribeByPhone: (db: Queryable, phone: string, now: Date) =>
    db.query<{ id: string; was: "active" | "pending" }>(
      `WITH stopping AS (
         SELECT id, status FROM participants WHERE phone = $1 AND status IN ('active', 'pending') FOR UPDATE)
       UPDATE participants p
          SET status = 'unsubscribed', unsubscribed_at = $2, updated_at = $2, code_hash = NULL, code_expires_at = NULL
         FROM stopping s WHERE p.id = s.id
       RETURNING p.id, s.status AS was`,
      [phone, now],
    ),

  homePostcode: (db: Queryable, participantId: string) =>
    db.query<{ postcode: string }>(
      "SELECT postcode FROM participant_locations WHERE participant_id = $1 ORDER BY kind = 'home' DESC LIMIT 1",
      [participantId],
    ),

  moveHome: (db: Queryable, participantId: string, home: { postcode: string; lat: number; lon: number }) =>
    db.query(
      `UPDATE participant_locations SET postcode = $2, lat = $3, lon = $4, source = 'pc4', house_number = NULL
        WHERE participant_id = $1 AND kind = 'home'`,
      [participantId, home.postcode, home.lat, home.lon],
    ),

  insertHome: (db: Queryable, participantId: string, home: { postcode: string; lat: number; lon: number }) =>
    db.query(
      `INSERT INTO participant_locations (participant_id, kind, postcode, lat, lon, source)
       VALUES ($1, 'home', $2, $3, $4, 'pc4')`,
      [participantId, home.postcode, home.lat, home.lon],
    ),

  touch: (db: Queryable, participantId: string, now: Date) =>
    db.query("UPDATE participants SET updated_at = $2 WHERE id = $1", [participantId, now]),

  hasActive: (db: Queryable, phone: string) =>
    db.query("SELECT 1 FROM participants WHERE phone = $1 AND status = 'active'", [phone]),

  /** Erased registrations have no phone left, so they can never be found here, let alone revived. */
  resubscribeLatest: (db: Queryable, phone: string, now: Date) =>
    db.query<{ id: string }>(
      `UPDATE participants SET status = 'active', unsubscribed_at = NULL, updated_at = $2
        WHERE id = (SELECT id FROM participants WHERE phone = $1 AND status = 'unsubscribed'
                     ORDER BY unsubscribed_at DESC NULLS LAST, created_at DESC LIMIT 1)
        RETURNING id`,
      [phone, now],
    ),

  latestPending: (db: Queryable, phone: string) =>
    db.query<{ id: string }>(
      "SELECT id FROM participants WHERE phone = $1 AND status = 'pending' ORDER BY created_at DESC LIMIT 1",
      [phone],
    ),

  languageOfPhone: (db: Queryable, phone: string) =>
    db.query<{ language: Language }>(
      "SELECT language FROM participants WHERE phone = $1 ORDER BY status = 'active' DESC, created_at DESC LIMIT 1",
      [phone],
    ),
};
