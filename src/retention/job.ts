import type { FastifyBaseLogger } from "fastify";
import type { Db, Queryable } from "../db/db.js";
import { erasureTransitions } from "../deliveries/erasure.js";
import { photoQueries } from "../photos/queries.js";
import { retentionQueries as q } from "./queries.js";

export interface RetentionDays {
  callEvents: number;
  transcripts: number;
  recordings: number;
  events: number;
  webhookDeliveries: number;
}

export interface RetentionDeps {
  db: Db;
  clock: () => Date;
  log: FastifyBaseLogger;
  days: RetentionDays;
  /** Removes the audio at the carrier; the row forgets its URL only once the carrier has. */
  deleteRecording: (url: string) => Promise<void>;
  batchSize?: number;
  /** Batches per kind and run: a backlog is worked off over several runs, never in one long one. */
  maxBatches?: number;
}

const DAY_MS = 86_400_000;

export type RetentionCounts = Record<keyof RetentionDays | "eventTranscripts" | "lateErasures" | "photos", number>;

/** Deletes what is older than its retention period, in batches; returns how many rows went of each kind. */
export function createRetention(deps: RetentionDeps) {
  const { db, days } = deps;
  const batchSize = deps.batchSize ?? 5_000;
  const maxBatches = deps.maxBatches ?? 20;

  async function inBatches(work: (db: Queryable) => Promise<{ rowCount: number | null }>): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const n = (await db.withTransaction(work)).rowCount ?? 0;
      total += n;
      if (n < batchSize) break;
    }
    return total;
  }

  async function recordings(before: Date, now: Date): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const due = (await q.recordingsDue(db, before, Math.min(batchSize, 100))).rows;
      const gone: string[] = [];
      for (const r of due) {
        try {
          await deps.deleteRecording(r.recording_url);
          gone.push(r.id);
        } catch (err) {
          deps.log.warn({ err, sightingId: r.id }, "recording not deleted at the carrier; trying again next run");
        }
      }
      if (gone.length) await q.recordingsGone(db, gone, now);
      total += gone.length;
      if (gone.length < due.length || due.length < Math.min(batchSize, 100)) break;
    }
    return total;
  }

  return {
    async run(): Promise<RetentionCounts> {
      const now = deps.clock();
      const before = (d: number) => new Date(now.getTime() - d * DAY_MS);
      const counts: RetentionCounts = {
        callEvents: await inBatches((tx) => q.callEvents(tx, before(days.callEvents), batchSize)),
        transcripts: await inBatches((tx) => q.transcripts(tx, before(days.transcripts), batchSize, now)),
        eventTranscripts: await inBatches((tx) => q.eventTranscripts(tx, before(days.transcripts), batchSize)),
        recordings: await recordings(before(days.recordings), now),
        webhookDeliveries: await inBatches((tx) => q.webhookDeliveries(tx, before(days.webhookDeliveries), batchSize)),
        events: await inBatches((tx) => q.events(tx, before(days.events), batchSize)),
        lateErasures: (await erasureTransitions.late(db, now)).rowCount ?? 0,
        // A photo lives only as long as its alert: closing and cancelling delete it at once, expiry here.
        photos: (await photoQueries.deleteEnded(db, now)).rowCount ?? 0,
      };
      if (Object.values(counts).some((n) => n > 0)) deps.log.info({ retention: counts }, "retention: old data deleted");
      return counts;
    },
  };
}

export type Retention = ReturnType<typeof createRetention>;
