import { createHash, randomBytes } from "node:crypto";
import type { Queryable } from "../db/db.js";

export type Role = "registration" | "operator" | "admin";

export interface Principal {
  keyId: string;
  role: Role;
  region: string | null;
}

export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** Creates an API key; the key itself is returned once and only its hash is stored. */
export async function createApiKey(
  db: Queryable,
  { role, region, label }: { role: Role; region?: string | null; label?: string },
): Promise<{ id: string; key: string }> {
  const key = `bn_${role.slice(0, 3)}_${randomBytes(32).toString("base64url")}`;
  const res = await db.query<{ id: string }>(
    `INSERT INTO api_keys (key_hash, key_prefix, role, region_code, label)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [hashKey(key), key.slice(0, 12), role, region ?? null, label ?? null],
  );
  return { id: res.rows[0].id, key };
}

export async function findPrincipal(db: Queryable, key: string): Promise<Principal | null> {
  const res = await db.query<{ id: string; role: Role; region_code: string | null }>(
    "SELECT id, role, region_code FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
    [hashKey(key)],
  );
  const row = res.rows[0];
  return row ? { keyId: row.id, role: row.role, region: row.region_code } : null;
}
