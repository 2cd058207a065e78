import { prepared, type Db } from "../db/db.js";
import { fromStatuses } from "./states.js";

// Transition submitted for many deliveries in one statement (the one-row form is dispatch-submitted, queries.ts).
// The rows are locked in id order first, as a batch of status callbacks locks them: an UPDATE … FROM locks in
// whatever order its plan visits the rows, and deadlocked with such a batch (both waited deadlock_timeout, 1 s).
const submittedMany = prepared(
  "dispatch-submitted-many",
  `WITH locked AS (SELECT id FROM deliveries WHERE id = ANY ($1::bigint[]) ORDER BY id FOR UPDATE)
   UPDATE deliveries d SET provider_sid = coalesce(d.provider_sid, m.sid),
          status = CASE WHEN ${fromStatuses("submitted", "d.status")} THEN 'submitted' ELSE d.status END,
          lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
     FROM unnest($1::bigint[], $2::text[]) AS m (id, sid), locked l
    WHERE d.id = m.id AND l.id = m.id`,
);

/**
 * The carrier's SIDs of the requests answered within `windowMs` of each other stored in one statement (at 100 CPS,
 * one write instead of a few). Each caller's promise settles when its batch has committed; a batch that fails
 * rejects every caller, who then writes its own row as before (recordSid retries one by one).
 */
export function createSidBatcher(db: Db, windowMs = 2) {
  let waiting: { id: number; sid: string; done: (err?: unknown) => void }[] = [];
  let timer: NodeJS.Timeout | undefined;

  async function flush() {
    timer = undefined;
    const batch = waiting.sort((a, b) => a.id - b.id);
    waiting = [];
    try {
      await db.query(submittedMany, [batch.map((w) => w.id), batch.map((w) => w.sid)]);
      batch.forEach((w) => w.done());
    } catch (err) {
      batch.forEach((w) => w.done(err));
    }
  }

  return (id: number, sid: string) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ id, sid, done: (err) => (err === undefined ? resolve() : reject(err)) });
      timer ??= setTimeout(() => void flush(), windowMs);
    });
}
