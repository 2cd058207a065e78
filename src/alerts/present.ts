import type { AlertRow } from "./queries.js";
import { asStored } from "./area-stored.js";
import { isLiveStatus } from "./states.js";

export type Progress = Record<string, number>;

const WAITING = ["pending", "claimed", "sending"];

/** The alert as the API shows it, with progress by delivery status and an estimated finish at the current pace. */
export function presentAlert(a: AlertRow, progress: Progress, pace: { cps: number; mps: number; now: Date }) {
  const waiting = WAITING.reduce((n, s) => n + (progress[s] ?? 0), 0);
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
    progress,
    outcome: a.outcome,
    closingMessage: a.closing_message,
    createdAt: a.created_at.toISOString(),
    expiresAt: a.expires_at.toISOString(),
    dispatchStartedAt: a.dispatch_started_at?.toISOString() ?? null,
    dispatchedAt: a.dispatched_at?.toISOString() ?? null,
    estimatedFinishAt,
    closedAt: a.closed_at?.toISOString() ?? null,
    cancelledAt: a.cancelled_at?.toISOString() ?? null,
  };
}
