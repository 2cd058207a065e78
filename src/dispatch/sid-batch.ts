import type { Db } from "../db/db.js";
import { sendTransitions } from "../deliveries/send.js";

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
      await sendTransitions.submittedMany(
        db,
        batch.map((w) => w.id),
        batch.map((w) => w.sid),
      );
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
