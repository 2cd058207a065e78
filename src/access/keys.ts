import { createHash, randomBytes } from "node:crypto";
import type { Queryable } from "../db/db.js";
import { keyQueries as q } from "./queries.js";

export type Role = "registration" | "operator" | "admin" | "metrics";

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
  const res = await q.insert(db, {
    hash: hashKey(key),
    prefix: key.slice(0, 12),
    role,
    region: region ?? null,
    label: label ?? null,
  });
  return { id: res.rows[0].id, key };
}

export async function findPrincipal(db: Queryable, key: string): Promise<Principal | null> {
  const res = await q.activeByHash(db, hashKey(key));
  const row = res.rows[0];
  return row ? { keyId: row.id, role: row.role, region: row.region_code } : null;
}

/** Revokes a key; false when there is no such key or it was revoked before. */
export async function revokeApiKey(db: Queryable, id: string, at: Date): Promise<boolean> {
  const res = await q.revoke(db, id, at);
  return (res.rowCount ?? 0) > 0;
}

/** Which of these keys have been revoked (the live feed closes their sockets). */
export async function revokedAmong(db: Queryable, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const res = await q.revokedAmong(db, ids);
  return res.rows.map((r) => r.id);
}
