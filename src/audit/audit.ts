import type { Queryable } from "../db/db.js";

/** Who targeted whom, who read what: one append-only row per decision or access. */
export function audit(
  db: Queryable,
  e: { actor: string; action: string; subjectType: string; subjectId?: string | null; details?: object; at?: Date },
) {
  return db.query(
    `INSERT INTO audit_log (at, actor, action, subject_type, subject_id, details)
     VALUES (coalesce($1, now()), $2, $3, $4, $5, $6)`,
    [e.at ?? null, e.actor, e.action, e.subjectType, e.subjectId ?? null, JSON.stringify(e.details ?? {})],
  );
}
