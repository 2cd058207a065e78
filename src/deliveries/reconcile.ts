import type { Queryable } from "../db/db.js";
import { AT_CARRIER } from "./statuses.js";
import { statusIn } from "./transitions.js";

/**
 * What the reconciler leases to ask the carrier about. Not status changes: the carrier's answer then goes through
 * the callback transitions (callbacks.ts) or notSent (send.ts).
 */
export const reconcileLeases = {
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

  /**
   * At the carrier with no status change for `graceMs`: their final callback may be lost. Leased until the next
   * look, which backs off with the delivery's age (a call to the meldkamer may last long).
   */
  claimOverdue: (db: Queryable, owner: string, limit: number, graceMs: number) =>
    db.query<{ id: number; channel: "voice" | "sms"; provider_sid: string; attempts: number }>(
      `UPDATE deliveries SET lease_owner = $1,
              lease_expires_at = now()
                + greatest($3 * interval '1 millisecond', now() - coalesce(sending_at, updated_at))
        WHERE id IN (SELECT id FROM deliveries
                      WHERE ${statusIn(AT_CARRIER)} AND provider_sid IS NOT NULL
                        AND updated_at < now() - $3 * interval '1 millisecond'
                        AND (lease_expires_at IS NULL OR lease_expires_at < now())
                        AND sending_at > now() - interval '1 day'
                      ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING id, channel, provider_sid, attempts`,
      [owner, limit, graceMs],
    ),
};
