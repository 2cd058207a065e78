import type { Queryable } from "../db/db.js";

export interface RegionRow {
  code: string;
  name: string;
  meldkamer_number: string | null;
}

export const regionQueries = {
  list: (db: Queryable, only: string | null) =>
    db.query<RegionRow>(
      "SELECT code, name, meldkamer_number FROM regions WHERE ($1::text IS NULL OR code = $1) ORDER BY code",
      [only],
    ),

  get: (db: Queryable, code: string, lock = false) =>
    db.query<RegionRow>(
      `SELECT code, name, meldkamer_number FROM regions WHERE code = $1${lock ? " FOR UPDATE" : ""}`,
      [code],
    ),

  setMeldkamer: (db: Queryable, code: string, number: string | null) =>
    db.query<RegionRow>(
      "UPDATE regions SET meldkamer_number = $2 WHERE code = $1 RETURNING code, name, meldkamer_number",
      [code, number],
    ),
};
