import { inProgressOf, type ProgressSummary, type StatusCounts } from "../deliveries/counts.js";
import { STATUS } from "../deliveries/statuses.js";

/** The live progress line of the demo, from GET /v1/alerts/{id}: `progress` and `summary` (deliveries/counts.ts). */
export interface AlertView {
  status: string;
  progress: StatusCounts;
  summary: ProgressSummary;
  targeting: { voice?: number; sms?: number };
  estimatedFinishAt: string | null;
}

export function buckets(a: Pick<AlertView, "progress" | "summary">) {
  const p = a.progress;
  const canceled = p[STATUS.canceled] ?? 0;
  return {
    queued: a.summary.queued,
    ringing: a.summary.atCarrier,
    answered: p[STATUS.answered] ?? 0,
    voicemail: p[STATUS.voicemail] ?? 0,
    sms: (p[STATUS.sent] ?? 0) + (p[STATUS.delivered] ?? 0),
    failed: a.summary.unreached - canceled,
    canceled,
  };
}

/** Every alert message has its final status. */
export const isSettled = (p: StatusCounts) => inProgressOf(p) === 0;

export function progressLine(a: AlertView, pace: number, width = 28): string {
  const b = buckets(a);
  const total = (a.targeting.voice ?? 0) + (a.targeting.sms ?? 0) || 1;
  const done = b.answered + b.voicemail + b.sms + b.failed + b.canceled;
  const filled = Math.min(width, Math.round((done / total) * width));
  const eta = a.estimatedFinishAt ? Math.max(0, Math.round((Date.parse(a.estimatedFinishAt) - Date.now()) / 1000)) : 0;
  return (
    `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(Math.round((done / total) * 100)).padStart(3)}%  ` +
    `queued ${b.queued} · ringing ${b.ringing} · answered ${b.answered} · voicemail ${b.voicemail} · ` +
    `sms ${b.sms} · failed ${b.failed}  ${pace.toFixed(1)}/s  ETA ${eta}s`
  );
}
