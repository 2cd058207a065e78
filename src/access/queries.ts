import type { Queryable } from "../db/db.js";
import type { Role } from "./keys.js";

export const keyQueries = {
  insert: (
    db: Queryable,
    k: { hash: string; prefix: string; role: Role; region: string | null; label: string | null },
  ) =>
    db.query<{ id: string }>(
      `INSERT INTO api_keys (key_hash, key_prefix, role, region_code, label)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [k.hash, k.prefix, k.role, k.region, k.label],
    ),

  activeByHash: (db: Queryable, hash: string) =>
    db.query<{ id: string; role: Role; region_code: string | null }>(
      "SELECT id, role, region_code FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
      [hash],
    ),

  revoke: (db: Queryable, id: string, at: Date) =>
    db.query("UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL", [id, at]),

  revokedAmong: (db: Queryable, ids: string[]) =>
    db.query<{ id: string }>("SELECT id FROM api_keys WHERE id = ANY($1::uuid[]) AND revoked_at IS NOT NULL", [ids]),
};
