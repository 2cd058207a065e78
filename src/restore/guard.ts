import type { Queryable } from "../db/db.js";

/**
 * Which database this is, as far as a restore can tell: the cluster (a restore into another server), its timeline
 * (a point-in-time recovery or a promoted replica), the database (a dump restored into a new one) and this table
 * (a dump restored over the old one). pg_control_* need EXECUTE, which PUBLIC has unless revoked; without it the
 * last two still tell a restored dump.
 */
export async function databaseIdentity(db: Queryable): Promise<string> {
  const own = `(SELECT oid FROM pg_database WHERE datname = current_database()), to_regclass('restore_guard')::oid`;
  try {
    const r = await db.query<{ id: string }>(
      `SELECT concat_ws(':', s.system_identifier, c.timeline_id, ${own}) AS id
         FROM pg_control_system() s, pg_control_checkpoint() c`,
    );
    return r.rows[0].id;
  } catch {
    return (await db.query<{ id: string }>(`SELECT concat_ws(':', 'db', ${own}) AS id`)).rows[0].id;
  }
}

export const RESTORE_DETECTED = "the database is not the one the service last ran on (restored, recovered or promoted)";
export const RESTORE_DECLARED = "declared by an operator (npm run restored)";

/** The one row of restore_guard (sql/025): whether a check against the carrier must come before any send. */
export const restoreGuard = {
  /** An instance starts: records the identity it sees; a different one than recorded asks for the check. */
  observe: (db: Queryable, identity: string) =>
    db.query<{ required: boolean; reason: string | null }>(
      `UPDATE restore_guard SET
              check_required_since = CASE WHEN identity <> $1 THEN coalesce(check_required_since, now())
                                          ELSE check_required_since END,
              check_reason = CASE WHEN identity <> $1 THEN $2 ELSE check_reason END,
              identity = $1
        RETURNING check_required_since IS NOT NULL AS required, check_reason AS reason`,
      [identity, RESTORE_DETECTED],
    ),

  /** `npm run restored`: the next start checks, whatever the identity says (a dump restored over the old one). */
  declare: (db: Queryable) =>
    db.query(`UPDATE restore_guard SET check_required_since = now(), check_reason = $1`, [RESTORE_DECLARED]),

  /** The check for one instance at a time, under a lease that another takes over if it crashes. */
  claim: (db: Queryable, owner: string, leaseMs: number) =>
    db.query<{ since: string }>(
      `UPDATE restore_guard SET check_owner = $1, check_lease_until = now() + $2 * interval '1 millisecond'
        WHERE check_required_since IS NOT NULL
          AND (check_owner = $1 OR check_lease_until IS NULL OR check_lease_until < now())
        RETURNING check_required_since::text AS since`,
      [owner, leaseMs],
    ),

  /** Done; a check asked for again meanwhile (`since` moved; compared as text, to the microsecond) stays asked for. */
  finish: (db: Queryable, owner: string, since: string) =>
    db.query(
      `UPDATE restore_guard SET check_owner = NULL, check_lease_until = NULL, last_checked_at = now(),
              check_required_since = CASE WHEN check_required_since::text = $2 THEN NULL ELSE check_required_since END,
              check_reason = CASE WHEN check_required_since::text = $2 THEN NULL ELSE check_reason END
        WHERE check_owner = $1`,
      [owner, since],
    ),

  required: async (db: Queryable) =>
    (await db.query<{ required: boolean }>(`SELECT check_required_since IS NOT NULL AS required FROM restore_guard`))
      .rows[0]?.required ?? false,
};
