import type { FastifyRequest } from "fastify";
import type { Queryable } from "../db/db.js";
import { ivrStepQueries as q } from "./step-queries.js";

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
  return key === null ? true : q.claim(tx, key, data);
}

export async function releaseStep(db: Queryable, key: string | null): Promise<void> {
  if (key !== null) await q.release(db, key);
}

/** Keeps data for a later step of the same call (the last write wins: a retry carries the same data). */
export async function keepForLater(db: Queryable, key: string, data: unknown): Promise<void> {
  await q.keep(db, key, data);
}

export async function readStep<T>(db: Queryable, key: string): Promise<T | undefined> {
  return q.read<T>(db, key);
}
