import type { Queryable } from "../db/db.js";

/** The `ivr_steps` table: keys of the IVR steps already handled, and data kept for a later step of the same call. */
export const ivrStepQueries = {
  /** True when this key was not there yet. */
  claim: async (tx: Queryable, key: string, data: unknown) =>
    (
      await tx.query("INSERT INTO ivr_steps (key, data) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key", [
        key,
        data === undefined ? null : JSON.stringify(data),
      ])
    ).rowCount === 1,

  release: (db: Queryable, key: string) => db.query("DELETE FROM ivr_steps WHERE key = $1", [key]),

  keep: (db: Queryable, key: string, data: unknown) =>
    db.query("INSERT INTO ivr_steps (key, data) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data", [
      key,
      JSON.stringify(data),
    ]),

  read: async <T>(db: Queryable, key: string) =>
    (await db.query<{ data: T }>("SELECT data FROM ivr_steps WHERE key = $1", [key])).rows[0]?.data ?? undefined,

  /** Step keys only matter while Twilio may still retry a webhook or send a recording late (hours). */
  expire: (db: Queryable) =>
    db.query(
      `DELETE FROM ivr_steps WHERE key IN (
         SELECT key FROM ivr_steps WHERE created_at < now() - interval '2 days' ORDER BY created_at LIMIT 5000)`,
    ),
};
