import type { Queryable } from "../db/db.js";
import { TRANSITIONS } from "./transitions.js";
import { sqlList } from "../db/sql-list.js";

/**
 * Transition erased: deliveries keep their outcome without the number. Work not yet at the carrier ends; so does a
 * request in flight (`sending`): without its number it could not be reconciled, and a lost answer must never be
 * matched against the carrier's list of every number. Its lease ends with it.
 */
const ERASE_SET = (d: string) => {
  const ends = `${d}status IN (${sqlList(TRANSITIONS.erased.from)})`;
  return `phone = NULL,
          status = CASE WHEN ${ends} THEN 'canceled' ELSE ${d}status END,
          end_reason = CASE WHEN ${ends} THEN 'erased' ELSE ${d}end_reason END,
          lease_owner = CASE WHEN ${ends} THEN NULL ELSE ${d}lease_owner END,
          lease_expires_at = CASE WHEN ${ends} THEN NULL ELSE ${d}lease_expires_at END`;
};

export const erasureTransitions = {
  /** A participant erased: the deliveries of their registrations `ids` to `phone`. */
  participant: (db: Queryable, phone: string, ids: string[], now: Date) =>
    db.query<{ id: number }>(
      `UPDATE deliveries SET ${ERASE_SET("")},
              last_error = erase_phone_text(last_error, phone_forms($1)), updated_at = $3
        WHERE phone = $1 AND participant_id = ANY ($2::uuid[])
        RETURNING id`,
      [phone, ids, now],
    ),

  /**
   * Retention: an alert targeted in the same instant as an erasure can commit its deliveries after it, number
   * included (the send itself is stopped by the check at send time). Erasures of the last day against that day's
   * alerts.
   */
  late: (db: Queryable, now: Date) =>
    db.query(
      `UPDATE deliveries d SET ${ERASE_SET("d.")}, updated_at = $1
         FROM participants p, alerts a
        WHERE p.status = 'erased' AND p.erased_at > $1::timestamptz - interval '1 day'
          AND a.created_at > p.erased_at - interval '1 hour'
          AND d.alert_id = a.id AND d.participant_id = p.id AND d.phone IS NOT NULL`,
      [now],
    ),
};
