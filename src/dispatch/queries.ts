import { prepared, type Queryable } from "../db/db.js";
import {
  AT_CARRIER,
  FINAL,
  LIVE_FOR_PURPOSE,
  REACHED,
  WAITING,
  fromStatuses,
  sqlList,
  type DeliveryStatus,
  type EndReason,
} from "./states.js";
import { holdQueries, type HeldDelivery } from "./hold-queries.js";

export type { HeldDelivery };

export interface TakenDelivery {
  id: number;
  alert_id: string;
  /** `sending`: send it now; `pending`: it became an SMS (quiet hours); `canceled`: ended with `end_reason`. */
  status: "sending" | "pending" | "canceled";
  end_reason: EndReason | null;
  phone: string;
  channel: "voice" | "sms";
  purpose: "alert" | "closing";
  language: "nl" | "en";
  attempts: number;
  text: string;
}

/** Why an alert no longer takes this delivery's purpose (d, a in scope). */
const ALERT_END_REASON = `CASE a.status WHEN 'cancelled' THEN 'alert_cancelled'
  WHEN 'closed' THEN CASE WHEN d.purpose = 'alert' THEN 'alert_closed' ELSE 'expired' END ELSE 'expired' END`;

// Run per call (or per batch, and again for each request that misses its slot): prepared once per connection.
const reserveStatement = prepared(
  "dispatch-reserve-slots",
  `WITH cur AS (
     SELECT greatest(next_slot, clock_timestamp() + $4::float8 * interval '1 millisecond') AS start, clock_timestamp() AS now
       FROM pace WHERE channel = $1 FOR UPDATE)
   UPDATE pace SET next_slot = cur.start + $2::float8 * $3::float8 * interval '1 millisecond' FROM cur WHERE channel = $1
   RETURNING extract(epoch FROM cur.start) * 1000 AS slot_ms, extract(epoch FROM cur.now) * 1000 AS db_now_ms`,
);

/**
 * Transitions take / skip / toSms, in one statement per request, right before it goes out: the citizen's latest
 * word and the alert's state decide, whatever this instance knew when it claimed the batch. $3: quiet hours now.
 */
const takeStatement = prepared(
  "dispatch-take",
  `WITH c AS (
     SELECT d.id, CASE
         WHEN NOT ${LIVE_FOR_PURPOSE} THEN ${ALERT_END_REASON}
         WHEN p.id IS NULL OR p.status = 'erased' THEN 'erased'
         WHEN p.status <> 'active' THEN 'unsubscribed'
         WHEN NOT (d.channel = ANY (p.channels)) THEN 'channel_removed'
         WHEN $3::boolean AND d.channel = 'voice' AND NOT d.urgent THEN
           CASE WHEN 'sms' = ANY (p.channels) AND p.phone_type = 'mobile' AND NOT EXISTS (
                  SELECT 1 FROM deliveries s WHERE s.alert_id = d.alert_id AND s.phone = d.phone AND s.channel = 'sms'
                     AND s.purpose = d.purpose) THEN 'to_sms'
                ELSE 'quiet_hours' END
         ELSE 'send' END AS verdict
       FROM deliveries d JOIN alerts a ON a.id = d.alert_id LEFT JOIN participants p ON p.id = d.participant_id
      WHERE d.id = $1 AND d.${fromStatuses("take")} AND d.lease_owner = $2
        FOR UPDATE OF d)
   UPDATE deliveries d SET
          status = CASE c.verdict WHEN 'send' THEN 'sending' WHEN 'to_sms' THEN 'pending' ELSE 'canceled' END,
          channel = CASE c.verdict WHEN 'to_sms' THEN 'sms' ELSE d.channel END,
          attempts = d.attempts + (c.verdict = 'send')::int,
          sending_at = CASE c.verdict WHEN 'send' THEN now() ELSE d.sending_at END,
          lease_owner = CASE c.verdict WHEN 'send' THEN $2 END,
          lease_expires_at = CASE c.verdict WHEN 'send' THEN now() + $4 * interval '1 millisecond' END,
          next_attempt_at = now(),
          end_reason = CASE WHEN c.verdict IN ('send', 'to_sms') THEN NULL ELSE c.verdict END,
          completed_at = CASE WHEN c.verdict IN ('send', 'to_sms') THEN NULL ELSE now() END,
          updated_at = now()
     FROM c, alerts a
    WHERE d.id = c.id AND a.id = d.alert_id
   RETURNING d.id, d.alert_id, d.status, d.end_reason, d.phone, d.channel, d.purpose, d.language, d.attempts,
             CASE WHEN d.purpose = 'closing' THEN a.closing_message
                  ELSE coalesce(a.texts -> d.language ->> d.channel, a.texts -> 'nl' ->> d.channel) END AS text`,
);
const submittedStatement = prepared(
  "dispatch-submitted",
  `UPDATE deliveries SET provider_sid = coalesce(provider_sid, $2),
          status = CASE WHEN ${fromStatuses("submitted")} THEN 'submitted' ELSE status END,
          lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
    WHERE id = $1`,
);

export interface DeliveryState {
  id: number;
  status: DeliveryStatus;
  attempts: number;
  answered_by: string | null;
  live: boolean;
}

// Every status callback runs these: prepared once per connection.
const lockDelivery = prepared(
  "status-lock-delivery",
  `SELECT d.id, d.status, d.attempts, d.answered_by, ${LIVE_FOR_PURPOSE} AS live
     FROM deliveries d JOIN alerts a ON a.id = d.alert_id WHERE d.id = $1 FOR UPDATE OF d`,
);
const recordEvent = prepared(
  "status-record-event",
  "INSERT INTO call_events (delivery_id, provider_sid, kind, status, params) VALUES ($1, $2, $3, $4, $5)",
);
const progressStatement = prepared(
  "status-move",
  `UPDATE deliveries SET status = $2, provider_sid = coalesce(provider_sid, $3), answered_by = coalesce($4, answered_by),
          answered_at = CASE WHEN $2 IN ('in_progress', 'answered', 'voicemail') THEN coalesce(answered_at, now()) ELSE answered_at END,
          completed_at = CASE WHEN $2 IN (${sqlList(FINAL)}) THEN now() ELSE completed_at END,
          duration_s = coalesce($5, duration_s), last_error_code = coalesce($6, last_error_code),
          lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
    WHERE id = $1 AND ${fromStatuses("progress")}`,
);

/** Status callbacks and the carrier's answers to fetches: the state machine's writes. */
export const callbackQueries = {
  lock: (tx: Queryable, id: number) => tx.query<DeliveryState>(lockDelivery, [id]),
  record: (tx: Queryable, id: number | null, sid: string | null, kind: string, status: string | null, params: object) =>
    tx.query(recordEvent, [id, sid, kind, status, JSON.stringify(params)]),
  /** Transition progress. */
  progress: (
    tx: Queryable,
    m: { id: number; status: DeliveryStatus; sid: string | null; answeredBy: string | null; duration: number | null },
    errorCode: number | null,
  ) => tx.query(progressStatement, [m.id, m.status, m.sid, m.answeredBy, m.duration, errorCode]),
  /** Transition retry: busy or no answer, called again after `afterMs`. */
  retry: (tx: Queryable, id: number, afterMs: number, reason: string) =>
    tx.query(
      `UPDATE deliveries SET status = 'pending', next_attempt_at = now() + $2 * interval '1 millisecond', provider_sid = NULL,
              answered_by = NULL, last_error = $3, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND ${fromStatuses("retry")}`,
      [id, afterMs, reason],
    ),
  /** Reached after its alert was closed (a call answered late, a callback settled late): the closing message too. */
  closingIfClosed: (tx: Queryable, id: number) =>
    tx.query(
      `INSERT INTO deliveries (alert_id, participant_id, phone, channel, purpose, language, urgent, rank, distance_m)
       SELECT d.alert_id, d.participant_id, d.phone,
              CASE WHEN 'sms' = ANY (p.channels) AND p.phone_type = 'mobile' THEN 'sms' ELSE 'voice' END,
              'closing', d.language, d.urgent, d.rank, d.distance_m
         FROM deliveries d JOIN alerts a ON a.id = d.alert_id JOIN participants p ON p.id = d.participant_id
        WHERE d.id = $1 AND d.purpose = 'alert' AND a.status = 'closed' AND p.status = 'active'
          AND d.status IN (${sqlList(REACHED)})
       ON CONFLICT DO NOTHING`,
      [id],
    ),
};

export const dispatchQueries = {
  /** Due work, shared per police unit, held for this instance under a lease (hold-queries.ts). */
  hold: async (db: Queryable, channel: string, owner: string, limit: number, leaseMs: number, served = 0) => ({
    rows: await holdQueries.hold(db, channel, owner, limit, leaseMs, served),
  }),

  take: (db: Queryable, id: number, owner: string, quiet: boolean, leaseMs: number) =>
    db.query<TakenDelivery>(takeStatement, [id, owner, quiet, leaseMs]),

  /** Held here but never taken (shutdown, halt, breaker open): due again at once, for any instance. */
  release: (db: Queryable, ids: number[], owner: string) =>
    db.query(
      `UPDATE deliveries SET lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = now()
        WHERE id = ANY ($1) AND status = 'pending' AND lease_owner = $2`,
      [ids, owner],
    ),

  /** The database's clock now (epoch ms): samples for the pace's clock mapping. */
  dbNow: (db: Queryable) =>
    db.query<{ db_now_ms: number }>(
      prepared("dispatch-db-now", "SELECT extract(epoch FROM clock_timestamp()) * 1000 AS db_now_ms"),
    ),

  reserveSlots: (db: Queryable, channel: string, n: number, intervalMs: number, leadMs: number) =>
    db.query<{ slot_ms: number; db_now_ms: number }>(reserveStatement, [channel, n, intervalMs, leadMs]),

  submitted: (db: Queryable, id: number, sid: string) => db.query(submittedStatement, [id, sid]),

  /** Transition backToPending: not placed (outage, halted channel); the attempt does not count. */
  backToPending: (db: Queryable, id: number, afterMs: number, code: number | null, message: string) =>
    db.query(
      `UPDATE deliveries SET status = 'pending', attempts = attempts - 1, next_attempt_at = now() + $2 * interval '1 millisecond',
              last_error_code = $3, last_error = $4, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND ${fromStatuses("backToPending")}`,
      [id, afterMs, code, message],
    ),

  /** Transition refused: the carrier will never take this number on this channel. */
  refused: (db: Queryable, id: number, code: number | null, message: string) =>
    db.query(
      `UPDATE deliveries SET status = 'failed', last_error_code = $2, last_error = $3, completed_at = now(),
              lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND ${fromStatuses("refused")}`,
      [id, code, message],
    ),

  /** Outcome unknown (no HTTP answer, or the SID could not be stored): the reconciler asks the carrier. */
  unknown: (db: Queryable, id: number, message: string) =>
    db.query(
      `UPDATE deliveries SET lease_expires_at = '-infinity', last_error = $2, updated_at = now()
        WHERE id = $1 AND status = 'sending'`,
      [id, message],
    ),

  /**
   * In flight under a lease that ended (crash, lost answer): these need the carrier's word. A request may leave
   * until just before its lease ends and take `requestMs` to be answered: only after that can the carrier's list
   * say for certain that it never arrived. Lost answers (`unknown`) are due at once; `busy` are this instance's own.
   */
  claimUnknown: (db: Queryable, owner: string, limit: number, leaseMs: number, requestMs: number, busy: number[]) =>
    db.query<{ id: number; alert_id: string; phone: string; channel: "voice" | "sms"; sending_at: Date }>(
      `UPDATE deliveries SET lease_owner = $1, lease_expires_at = now() + $3 * interval '1 millisecond'
        WHERE id IN (SELECT id FROM deliveries
                      WHERE status = 'sending' AND lease_expires_at < now() - $4 * interval '1 millisecond'
                        AND NOT (id = ANY ($5))
                      ORDER BY lease_expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING id, alert_id, phone, channel, sending_at`,
      [owner, limit, leaseMs, requestMs, busy],
    ),

  knownSids: (db: Queryable, sids: string[]) =>
    db.query<{ provider_sid: string }>("SELECT provider_sid FROM deliveries WHERE provider_sid = ANY ($1)", [sids]),

  /** Transitions backToPending / dropped: never reached the carrier after all; in line again if still live. */
  notSent: (db: Queryable, id: number) =>
    db.query(
      `UPDATE deliveries d SET status = CASE WHEN ${LIVE_FOR_PURPOSE} THEN 'pending' ELSE 'canceled' END,
              end_reason = CASE WHEN ${LIVE_FOR_PURPOSE} THEN NULL ELSE ${ALERT_END_REASON} END,
              attempts = d.attempts - 1, lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = now(),
              updated_at = now()
         FROM alerts a WHERE a.id = d.alert_id AND d.id = $1 AND d.status = 'sending'`,
      [id],
    ),

  /**
   * At the carrier with no status change for `graceMs`: their final callback may be lost. Leased until the next
   * look, which backs off with the delivery's age (a call to the meldkamer may last long).
   */
  claimOverdue: (db: Queryable, owner: string, limit: number, graceMs: number) =>
    db.query<{ id: number; channel: "voice" | "sms"; provider_sid: string; attempts: number }>(
      `UPDATE deliveries SET lease_owner = $1,
              lease_expires_at = now() + greatest($3 * interval '1 millisecond', now() - coalesce(sending_at, updated_at))
        WHERE id IN (SELECT id FROM deliveries
                      WHERE status IN (${sqlList(AT_CARRIER)}) AND provider_sid IS NOT NULL
                        AND updated_at < now() - $3 * interval '1 millisecond'
                        AND (lease_expires_at IS NULL OR lease_expires_at < now())
                        AND sending_at > now() - interval '1 day'
                      ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING id, channel, provider_sid, attempts`,
      [owner, limit, graceMs],
    ),

  /** Transition cancelUnsent: the alert was cancelled or closed; what is in flight is resolved by the caller. */
  cancelUnsent: (db: Queryable, alertId: string, reason: "alert_cancelled" | "alert_closed", now: Date) =>
    db.query(
      `UPDATE deliveries SET status = 'canceled', end_reason = $2, last_error = replace($2, '_', ' '),
              completed_at = $3, lease_owner = NULL, lease_expires_at = NULL, updated_at = $3
        WHERE alert_id = $1 AND ${fromStatuses("cancelUnsent")}`,
      [alertId, reason, now],
    ),

  /** Dispatching alerts with nothing left to submit become active; pending work of expired alerts ends. */
  housekeeping: async (db: Queryable) => {
    await db.query(
      `UPDATE deliveries d SET status = 'canceled', end_reason = 'expired', last_error = 'alert expired',
              completed_at = now(), updated_at = now()
         FROM alerts a WHERE a.id = d.alert_id AND d.${fromStatuses("cancelUnsent")} AND d.purpose = 'alert'
          AND a.expires_at < now()`,
    );
    await db.query(
      `UPDATE alerts a SET status = 'active', dispatched_at = now()
        WHERE a.status = 'dispatching' AND NOT EXISTS (
              SELECT 1 FROM deliveries d WHERE d.alert_id = a.id AND d.purpose = 'alert' AND d.status IN (${sqlList(WAITING)}))`,
    );
    // IVR step keys only matter while Twilio may still retry a webhook or send a recording late (hours).
    await db.query(
      `DELETE FROM ivr_steps WHERE key IN (
         SELECT key FROM ivr_steps WHERE created_at < now() - interval '2 days' ORDER BY created_at LIMIT 5000)`,
    );
  },
};
