import { progressSummary, type DeliveryCounts } from "../deliveries/counts.js";
import type { AlertRow } from "./queries.js";
import { asStored } from "./area-stored.js";
import { isLiveStatus } from "./states.js";

/**
 * The alert as the API shows it: its alert messages by delivery status (`progress`), the same grouped as
 * alert.progress groups them (`summary`: `reached` counts participants, who get the closing message), and an
 * estimated finish at the current pace.
 */
export function presentAlert(a: AlertRow, counts: DeliveryCounts, pace: { cps: number; mps: number; now: Date }) {
  const summary = progressSummary(counts);
  const waiting = summary.queued;
  const live = isLiveStatus(a.status);
  const estimatedFinishAt =
    live && waiting > 0
      ? new Date(pace.now.getTime() + (waiting / Math.min(pace.cps, pace.mps)) * 1000).toISOString()
      : null;
  return {
    id: a.id,
    region: a.region_code,
    kind: a.kind,
    priority: a.priority,
    status: a.status,
    texts: a.texts,
    area: asStored(a.area),
    channels: a.channels,
    targeting: a.targeting,
    progress: counts.byStatus,
    summary,
    presenceCheck: a.presence_check,
    presence: counts.presence,
    reachedWithinM: counts.reachedWithinM,
    outcome: a.outcome,
    closingMessage: a.closing_message,
    createdAt: a.created_at.toISOString(),
    expiresAt: a.expires_at.toISOString(),
    dispatchStartedAt: a.dispatch_started_at?.toISOString() ?? null,
    dispatchedAt: a.dispatched_at?.toISOString() ?? null,
    estimatedFinishAt,
    closedAt: a.closed_at?.toISOString() ?? null,
    cancelledAt: a.cancelled_at?.toISOString() ?? null,
    mode: a.mode,
    escalation: a.escalation,
    escalationCheckedAt: a.escalation_checked_at?.toISOString() ?? null,
  };
}
