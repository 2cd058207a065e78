import type { Queryable } from "../db/db.js";
import { FINAL } from "./statuses.js";
import { LIVE_FOR_PURPOSE, fromStatuses, statusIn } from "./transitions.js";

/** A delivery a restored database may be wrong about: of a live alert, not final. */
export interface UnsettledDelivery {
  id: number;
  alert_id: string;
  phone: string;
  channel: "voice" | "sms";
  status: string;
  attempts: number;
  provider_sid: string | null;
  /** When its alert began (the carrier's records of it can only be later). */
  alert_created_at: Date;
}

/** What a restore check reads and writes of deliveries (src/restore/check.ts asks the carrier in between). */
export const restoredDeliveries = {
  /** Every delivery of a live alert (LIVE_FOR_PURPOSE) that is not final, its alert's start, oldest alert first. */
  unsettled: (db: Queryable) =>
    db.query<UnsettledDelivery>(
      `SELECT d.id, d.alert_id, d.phone, d.channel, d.status, d.attempts, d.provider_sid,
              a.created_at AS alert_created_at
         FROM deliveries d JOIN alerts a ON a.id = d.alert_id
        WHERE NOT ${statusIn(FINAL, "d.status")} AND ${LIVE_FOR_PURPOSE}
        ORDER BY a.created_at, d.id`,
    ),

  /**
   * Of these SIDs, the ones the database knows: any delivery's current one, or an earlier attempt of this delivery
   * (its callbacks, kept in call_events after a retry cleared the delivery's SID).
   */
  knownSids: (db: Queryable, deliveryId: number, sids: string[]) =>
    db.query<{ sid: string }>(
      `SELECT provider_sid AS sid FROM deliveries WHERE provider_sid = ANY ($2)
       UNION SELECT provider_sid FROM call_events WHERE delivery_id = $1 AND provider_sid = ANY ($2)`,
      [deliveryId, sids],
    ),

  /**
   * Transition adopt: the carrier's newest record for this number, made after the dump, is this delivery's attempt
   * `attempts`; its status follows as that attempt's callback (src/dispatch/callbacks.ts, applyCallback).
   */
  adopt: (db: Queryable, id: number, sid: string, attempts: number, createdAt: Date | null) =>
    db.query(
      `UPDATE deliveries SET status = 'submitted', provider_sid = $2, attempts = $3,
              sending_at = coalesce($4, sending_at, now()), answered_by = NULL, lease_owner = NULL,
              lease_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND ${fromStatuses("adopt")}`,
      [id, sid, attempts, createdAt],
    ),
};
