import type { Queryable } from "../../src/db/db.js";

/** The tables a request can write to; a refused request must leave every count as it was. */
export const WRITTEN_TABLES = [
  "alerts",
  "deliveries",
  "participants",
  "participant_locations",
  "sightings",
  "webhook_subscriptions",
  "webhook_deliveries",
  "events",
  "audit_log",
  "cap_messages",
  "code_events",
  "api_keys",
] as const;

export async function rowCounts(db: Queryable): Promise<Record<string, number>> {
  const sql = WRITTEN_TABLES.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM ${t}`).join(" UNION ALL ");
  const rows = (await db.query<{ t: string; n: number }>(sql)).rows;
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}
