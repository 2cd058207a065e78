import type { Db, Queryable } from "../db/db.js";
import { WAITING } from "./statuses.js";
import { fromStatuses, statusIn } from "./transitions.js";

/** How an alert's deliveries end early: cancelled, closed or expired before their turn. */
export const endingTransitions = {
  /** Transition cancelUnsent: the alert was cancelled or closed; what is in flight is resolved by the caller. */
  cancelUnsent: (db: Queryable, alertId: string, reason: "alert_cancelled" | "alert_closed", now: Date) =>
    db.query(
      `UPDATE deliveries SET status = 'canceled', end_reason = $2, last_error = replace($2, '_', ' '),
              completed_at = $3, lease_owner = NULL, lease_expires_at = NULL, updated_at = $3
        WHERE alert_id = $1 AND ${fromStatuses("cancelUnsent")}`,
      [alertId, reason, now],
    ),

  /** Transition cancelUnsent for housekeeping: alert and update messages of expired alerts still waiting end. */
  expireUnsent: (db: Queryable) =>
    db.query(
      `UPDATE deliveries d SET status = 'canceled', end_reason = 'expired', last_error = 'alert expired',
              completed_at = now(), updated_at = now()
         FROM alerts a WHERE a.id = d.alert_id AND d.${fromStatuses("cancelUnsent")}
          AND d.purpose IN ('alert', 'update') AND a.expires_at < now()`,
    ),

  /** Requests of the alert in flight (their outcome not yet stored). */
  inFlight: async (db: Db, alertId: string, purpose: string) =>
    (
      await db.query<{ n: number }>(
        "SELECT count(*) AS n FROM deliveries WHERE alert_id = $1 AND purpose = $2 AND status = 'sending'",
        [alertId, purpose],
      )
    ).rows[0].n,

  /** Calls accepted by the carrier and not yet answered: these can still be cancelled there. */
  cancellableCalls: (db: Db, alertId: string) =>
    db.query<{ id: number; provider_sid: string }>(
      `SELECT id, provider_sid FROM deliveries
        WHERE alert_id = $1 AND channel = 'voice' AND status IN ('submitted', 'ringing') AND provider_sid IS NOT NULL`,
      [alertId],
    ),
};

/** SQL: the alert `alias` still has alert messages not yet at the carrier (the alerts' `dispatched` waits for none). */
export const hasWaitingSql = (alias: string) =>
  `EXISTS (SELECT 1 FROM deliveries d
           WHERE d.alert_id = ${alias}.id AND d.purpose = 'alert' AND ${statusIn(WAITING, "d.status")})`;
