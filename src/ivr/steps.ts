import type { FastifyRequest } from "fastify";
import type { Queryable } from "../db/db.js";

/**
 * The key of one step of one call: Twilio retries a webhook with the same CallSid, so a step keyed this way is
 * handled once however often it arrives. Built from the signed CallSid only (the Twilio scope requires it), never
 * from the unsigned I-Twilio-Idempotency-Token header, which anyone replaying a request can change.
 */
export function stepKey(req: FastifyRequest, step: string): string | null {
  const sid = (req.body as Record<string, string> | undefined)?.CallSid;
  return sid ? `${sid}:${step}` : null;
}

/** True the first time a key is claimed; false for a retry. A null key (nothing to go by) always proceeds. */
export async function claimStep(tx: Queryable, key: string | null, data?: unknown): Promise<boolean> {
  if (key === null) return true;
  const res = await tx.query(
    "INSERT INTO ivr_steps (key, data) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key",
    [key, data === undefined ? null : JSON.stringify(data)],
  );
  return res.rowCount === 1;
}

export async function releaseStep(db: Queryable, key: string | null): Promise<void> {
  if (key !== null) await db.query("DELETE FROM ivr_steps WHERE key = $1", [key]);
}

/** Keeps data for a later step of the same call (the last write wins: a retry carries the same data). */
export async function keepForLater(db: Queryable, key: string, data: unknown): Promise<void> {
  await db.query(
    "INSERT INTO ivr_steps (key, data) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data",
    [key, JSON.stringify(data)],
  );
}

export async function readStep<T>(db: Queryable, key: string): Promise<T | undefined> {
  const res = await db.query<{ data: T }>("SELECT data FROM ivr_steps WHERE key = $1", [key]);
  return res.rows[0]?.data ?? undefined;
}
