import type { Queryable } from "../db/db.js";

/** Each statement handles at most `limit` rows, oldest first, so a long backlog never holds long locks. */
export const retentionQueries = {
  callEvents: (db: Queryable, before: Date, limit: number) =>
    db.query(
      `DELETE FROM call_events WHERE id IN (
         SELECT id FROM call_events WHERE received_at < $1 ORDER BY received_at LIMIT $2)`,
      [before, limit],
    ),

  transcripts: (db: Queryable, before: Date, limit: number, now: Date) =>
    db.query(
      `UPDATE sightings SET transcript = NULL, transcript_erased_at = $3 WHERE id IN (
         SELECT id FROM sightings WHERE created_at < $1 AND transcript IS NOT NULL ORDER BY created_at LIMIT $2)`,
      [before, limit, now],
    ),

  /** The transcript also travelled in its sighting.created event. */
  eventTranscripts: (db: Queryable, before: Date, limit: number) =>
    db.query(
      `UPDATE events SET data = jsonb_set(data, '{transcript}', 'null') WHERE id IN (
         SELECT id FROM events WHERE created_at < $1 AND type = 'sighting.created'
            AND data->>'transcript' IS NOT NULL ORDER BY created_at LIMIT $2)`,
      [before, limit],
    ),

  recordingsDue: (db: Queryable, before: Date, limit: number) =>
    db.query<{ id: string; recording_url: string }>(
      `SELECT id, recording_url FROM sightings WHERE created_at < $1 AND recording_url IS NOT NULL
        ORDER BY created_at LIMIT $2`,
      [before, limit],
    ),

  recordingsGone: (db: Queryable, ids: string[], now: Date) =>
    db.query("UPDATE sightings SET recording_url = NULL, recording_erased_at = $2 WHERE id = ANY ($1::uuid[])", [
      ids,
      now,
    ]),

  webhookDeliveries: async (db: Queryable, before: Date, limit: number) => {
    const ids = (
      await db.query<{ id: number }>(
        "SELECT id FROM webhook_deliveries WHERE created_at < $1 ORDER BY created_at LIMIT $2",
        [before, limit],
      )
    ).rows.map((r) => r.id);
    if (!ids.length) return { rowCount: 0 };
    await db.query("DELETE FROM webhook_attempts WHERE delivery_id = ANY ($1::bigint[])", [ids]);
    return db.query("DELETE FROM webhook_deliveries WHERE id = ANY ($1::bigint[])", [ids]);
  },

  /** An event still owed to a receiver stays until its delivery row has gone. */
  events: (db: Queryable, before: Date, limit: number) =>
    db.query(
      `DELETE FROM events WHERE id IN (
         SELECT e.id FROM events e WHERE e.created_at < $1
            AND NOT EXISTS (SELECT 1 FROM webhook_deliveries w WHERE w.event_id = e.id)
          ORDER BY e.created_at LIMIT $2)`,
      [before, limit],
    ),
};
