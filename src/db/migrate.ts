import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Db } from "./db.js";
import { syncUnitBoundaries } from "../regions/unit-boundaries.js";

export const SQL_DIR = fileURLToPath(new URL("../../sql/", import.meta.url));

interface Migration {
  id: number;
  name: string;
  file: string;
}

async function listMigrations(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return files.map((file) => ({ id: Number(file.slice(0, 3)), name: file.slice(4, -4), file }));
}

/**
 * Applies the forward-only migrations in sql/ that are not applied yet, each in its own transaction, then loads the
 * data they need from the service's own files (the police units' boundaries, when they changed).
 * A session-level advisory lock (keyed by schema) makes a second instance starting at the same time wait,
 * then find nothing left to do.
 */
export async function migrate(db: Db, dir = SQL_DIR): Promise<string[]> {
  return db.withSession(async (client) => {
    const applied: string[] = [];
    try {
      // Must come first so that concurrent instances serialise on it before reading the migrations table.
      await client.query("SELECT pg_advisory_lock(hashtext('burgernet-migrate:' || current_schema()))");
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const done = new Set((await client.query("SELECT id FROM schema_migrations")).rows.map((r) => r.id as number));
      for (const m of await listMigrations(dir)) {
        if (done.has(m.id)) continue;
        const sql = await readFile(`${dir}/${m.file}`, "utf8");
        await client.query("BEGIN");
        try {
          await client.query(sql);
          await client.query("INSERT INTO schema_migrations (id, name) VALUES ($1, $2)", [m.id, m.name]);
          await client.query("COMMIT");
        } catch (err) {
          await client.query("ROLLBACK");
          throw new Error(`migration ${m.file} failed: ${(err as Error).message}`, { cause: err });
        }
        applied.push(m.file);
      }
      if (dir === SQL_DIR) await syncUnitBoundaries(client);
    } finally {
      await client
        .query("SELECT pg_advisory_unlock(hashtext('burgernet-migrate:' || current_schema()))")
        .catch(() => {});
    }
    return applied;
  });
}

/** True when every migration file in sql/ is recorded as applied (used by /readyz). */
export async function migrationsApplied(db: Db, dir = SQL_DIR): Promise<boolean> {
  const expected = (await listMigrations(dir)).map((m) => m.id);
  const res = await db.query<{ id: number }>("SELECT id FROM schema_migrations WHERE id = ANY($1::int[])", [expected]);
  return res.rowCount === expected.length;
}
