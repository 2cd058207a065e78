import type { Queryable } from "../db/db.js";

/**
 * Erasure removes a number from every table that can hold it. `phone_forms` and `erase_phone_text` (sql/010) give
 * each stored spelling of it (+316…, 316…, 06…); free texts keep their words and lose the number.
 */
const LIKE_FORMS = "ARRAY(SELECT '%' || f || '%' FROM unnest(phone_forms($1)) f)";

export const erasureQueries = {
  /** Every registration of the number, locked so that a verify or START cannot slip in beside the erasure. */
  registrations: (db: Queryable, phone: string) =>
    db.query<{ id: string; status: string; verified: boolean }>(
      "SELECT id, status, verified_at IS NOT NULL AS verified FROM participants WHERE phone = $1 FOR UPDATE",
      [phone],
    ),

  deleteLocations: (db: Queryable, ids: string[]) =>
    db.query("DELETE FROM participant_locations WHERE participant_id = ANY ($1::uuid[])", [ids]),

  /** The anonymous tombstone: language, channels and timestamps stay for the counts, nothing that identifies. */
  tombstones: (db: Queryable, ids: string[], now: Date) =>
    db.query(
      `UPDATE participants SET status = 'erased', phone = NULL, phone_type = NULL, code_hash = NULL,
              code_expires_at = NULL, erased_at = $2, updated_at = $2
        WHERE id = ANY ($1::uuid[])`,
      [ids, now],
    ),

  /**
   * Tips keep their text for the police, without the caller's number: the tips of these registrations, and with
   * `byCaller` (the number was proven) every tip that came from the number.
   */
  sightings: (db: Queryable, phone: string, ids: string[], byCaller: boolean) =>
    db.query<{ id: string }>(
      `UPDATE sightings SET caller_phone = NULL, transcript = erase_phone_text(transcript, phone_forms($1)),
              digits = erase_phone_text(digits, phone_forms($1))
        WHERE participant_id = ANY ($2::uuid[]) OR ($3 AND caller_phone = $1)
        RETURNING id`,
      [phone, ids, byCaller],
    ),

  /** The text line (sql/021): what the erased person wrote keeps its words for the police, not their number. */
  conversations: (db: Queryable, phone: string, ids: string[]) =>
    db.query(
      `UPDATE conversation_messages SET body = erase_phone_text(body, phone_forms($1))
        WHERE conversation_id IN (SELECT id FROM conversations WHERE participant_id = ANY ($2::uuid[]))`,
      [phone, ids],
    ),

  /**
   * Twilio's callback parameters (From, To, Called, Caller, …) as stored: every callback of the number's calls and
   * messages is kept under its delivery (call_events_delivery), so this never scans the table.
   */
  callEvents: (db: Queryable, phone: string, deliveryIds: number[]) =>
    db.query(
      `UPDATE call_events SET params = erase_phone_text(params::text, phone_forms($1))::jsonb
        WHERE delivery_id = ANY ($2::bigint[])`,
      [phone, deliveryIds],
    ),

  /**
   * The outbox that webhooks, the live feed and replays read: the events of the erased person's tips (sql/013).
   * No other event can hold the number: publishEvent masks every payload when it is written.
   */
  events: (db: Queryable, phone: string, sightingIds: string[]) =>
    db.query(
      `UPDATE events SET data = erase_phone_text(jsonb_set(data, '{callerPhone}', 'null')::text, phone_forms($1))::jsonb
        WHERE type = 'sighting.created' AND data->>'sightingId' = ANY ($2::text[])`,
      [phone, sightingIds],
    ),

  /** Receivers' error texts can echo a payload back. */
  webhookOutbox: async (db: Queryable, phone: string) => {
    await db.query(
      `UPDATE webhook_deliveries SET last_error = erase_phone_text(last_error, phone_forms($1))
        WHERE last_error LIKE ANY (${LIKE_FORMS})`,
      [phone],
    );
    await db.query(
      `UPDATE webhook_attempts SET error = erase_phone_text(error, phone_forms($1))
        WHERE error LIKE ANY (${LIKE_FORMS})`,
      [phone],
    );
  },

  /** The audit trail stays (who did what, when) without the places it named (participant.moved: a pc4). */
  auditDetails: (db: Queryable, ids: string[]) =>
    db.query(
      `UPDATE audit_log SET details = '{}' WHERE subject_type = 'participant' AND subject_id = ANY ($1::text[])
          AND details ? 'pc4'`,
      [ids],
    ),

  /** IVR bookkeeping kept while Twilio may retry (a tip heard, an SMS reply). */
  ivrSteps: (db: Queryable, phone: string) =>
    db.query(
      `UPDATE ivr_steps SET data = erase_phone_text(data::text, phone_forms($1))::jsonb
        WHERE data::text LIKE ANY (${LIKE_FORMS})`,
      [phone],
    ),
};
