import { prepared, type Queryable } from "../db/db.js";

export interface ClaimedDelivery {
  id: number;
  alert_id: string;
  region_code: string;
  phone: string;
  channel: "voice" | "sms";
  purpose: "alert" | "closing";
  language: "nl" | "en";
  attempts: number;
  text: string;
}

/** Is the alert still one to send this purpose for? Shared by claim and the last check before sending. */
const LIVE_FOR_PURPOSE = `
  ((d.purpose = 'alert' AND a.status IN ('dispatching', 'active') AND a.expires_at > now())
   OR (d.purpose = 'closing' AND a.status = 'closed'))`;

// Run per call (or per batch, and again for each request that misses its slot): prepared once per connection.
const reserveStatement = prepared(
  "dispatch-reserve-slots",
  `WITH cur AS (
     SELECT greatest(next_slot, clock_timestamp() + $4::float8 * interval '1 millisecond') AS start, clock_timestamp() AS now
       FROM pace WHERE channel = $1 FOR UPDATE)
   UPDATE pace SET next_slot = cur.start + $2::float8 * $3::float8 * interval '1 millisecond' FROM cur WHERE channel = $1
   RETURNING extract(epoch FROM cur.start) * 1000 AS slot_ms, extract(epoch FROM cur.now) * 1000 AS db_now_ms`,
);
const submittedStatement = prepared(
  "dispatch-submitted",
  `UPDATE deliveries SET provider_sid = coalesce(provider_sid, $2),
          status = CASE WHEN status = 'sending' THEN 'submitted' ELSE status END,
          lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
    WHERE id = $1`,
);

export const dispatchQueries = {
  /**
   * Due work, urgent first, then nearest first across alerts (so concurrent alerts share the pace by rank), taken
   * straight to `sending` under a lease: from here on only the slot timer stands between it and the carrier.
   */
  claimForSending: (db: Queryable, channel: string, owner: string, limit: number, leaseMs: number) =>
    db.query<ClaimedDelivery>(
      `UPDATE deliveries d SET status = 'sending', attempts = d.attempts + 1, sending_at = now(), lease_owner = $2,
              lease_expires_at = now() + $4 * interval '1 millisecond', updated_at = now()
         FROM alerts a
        WHERE a.id = d.alert_id AND d.id IN (
              SELECT d.id FROM deliveries d JOIN alerts a ON a.id = d.alert_id
               WHERE d.channel = $1 AND d.status = 'pending' AND d.next_attempt_at <= now() AND ${LIVE_FOR_PURPOSE}
               ORDER BY d.urgent DESC, d.rank, d.next_attempt_at
               LIMIT $3
                 FOR UPDATE OF d SKIP LOCKED)
      RETURNING d.id, d.alert_id, a.region_code, d.phone, d.channel, d.purpose, d.language, d.attempts,
                CASE WHEN d.purpose = 'closing' THEN a.closing_message
                     ELSE coalesce(a.texts -> d.language ->> d.channel, a.texts -> 'nl' ->> d.channel) END AS text`,
      [channel, owner, limit, leaseMs],
    ),

  /**
   * Reserves `n` start slots on the shared pace row, none sooner than `leadMs` from now; returns the first one and the
   * database's time (epoch ms). Every instance goes through this row, so together they never start more than the
   * configured rate.
   */
  reserveSlots: (db: Queryable, channel: string, n: number, intervalMs: number, leadMs: number) =>
    db.query<{ slot_ms: number; db_now_ms: number }>(reserveStatement, [channel, n, intervalMs, leadMs]),

  /** Requests that never left this instance (shutdown): back in line, the attempt not counted. */
  unsentBackToPending: (db: Queryable, ids: number[], owner: string) =>
    db.query(
      `UPDATE deliveries SET status = 'pending', attempts = attempts - 1, sending_at = NULL, lease_owner = NULL,
              lease_expires_at = NULL, updated_at = now()
        WHERE id = ANY ($1) AND status = 'sending' AND lease_owner = $2`,
      [ids, owner],
    ),

  /** The carrier accepted it. A status callback may already have moved it further: never move it back. */
  submitted: (db: Queryable, id: number, sid: string) => db.query(submittedStatement, [id, sid]),

  /** Not placed (429, 5xx, refused): try again later; the attempt does not count. */
  retryLater: (db: Queryable, id: number, afterMs: number, code: number | null, message: string) =>
    db.query(
      `UPDATE deliveries SET status = 'pending', attempts = attempts - 1, next_attempt_at = now() + $2 * interval '1 millisecond',
              last_error_code = $3, last_error = $4, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND status = 'sending'`,
      [id, afterMs, code, message],
    ),

  failed: (db: Queryable, id: number, code: number | null, message: string) =>
    db.query(
      `UPDATE deliveries SET status = 'failed', last_error_code = $2, last_error = $3, completed_at = now(),
              lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND status = 'sending'`,
      [id, code, message],
    ),

  /** Outcome unknown (no HTTP answer): let the reconciler ask the carrier right away. */
  unknown: (db: Queryable, id: number, message: string) =>
    db.query(
      "UPDATE deliveries SET lease_expires_at = now(), last_error = $2, updated_at = now() WHERE id = $1 AND status = 'sending'",
      [id, message],
    ),

  /** Sent by an owner that is gone before the SID was stored: these need the carrier's word. */
  claimUnknown: (db: Queryable, owner: string, limit: number, leaseMs: number) =>
    db.query<{
      id: number;
      alert_id: string;
      phone: string;
      channel: "voice" | "sms";
      sending_at: Date;
      live: boolean;
    }>(
      `UPDATE deliveries d SET lease_owner = $1, lease_expires_at = now() + $3 * interval '1 millisecond'
         FROM alerts a
        WHERE a.id = d.alert_id AND d.id IN (
              SELECT id FROM deliveries WHERE status = 'sending' AND lease_expires_at < now()
               ORDER BY lease_expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING d.id, d.alert_id, d.phone, d.channel, d.sending_at, ${LIVE_FOR_PURPOSE} AS live`,
      [owner, limit, leaseMs],
    ),

  knownSids: (db: Queryable, sids: string[]) =>
    db.query<{ provider_sid: string }>("SELECT provider_sid FROM deliveries WHERE provider_sid = ANY ($1)", [sids]),

  /** Never sent after all: back in line if the alert is live, otherwise cancelled. */
  notSent: (db: Queryable, id: number, live: boolean) =>
    db.query(
      `UPDATE deliveries SET status = CASE WHEN $2 THEN 'pending' ELSE 'canceled' END, attempts = attempts - 1,
              lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = now(), updated_at = now()
        WHERE id = $1 AND status = 'sending'`,
      [id, live],
    ),

  /** Dispatching alerts with nothing left to submit become active; pending work of expired alerts is dropped. */
  housekeeping: async (db: Queryable) => {
    await db.query(
      `UPDATE deliveries d SET status = 'canceled', last_error = 'alert expired', updated_at = now()
         FROM alerts a WHERE a.id = d.alert_id AND d.status = 'pending' AND d.purpose = 'alert' AND a.expires_at < now()`,
    );
    await db.query(
      `UPDATE alerts a SET status = 'active', dispatched_at = now()
        WHERE a.status = 'dispatching' AND NOT EXISTS (
              SELECT 1 FROM deliveries d WHERE d.alert_id = a.id AND d.purpose = 'alert'
                 AND d.status IN ('pending', 'claimed', 'sending'))`,
    );
    // IVR step keys only matter while Twilio may still retry a webhook or send a recording late (hours).
    await db.query(
      `DELETE FROM ivr_steps WHERE key IN (
         SELECT key FROM ivr_steps WHERE created_at < now() - interval '2 days' ORDER BY created_at LIMIT 5000)`,
    );
  },
};
