/** The live progress line of the demo, from GET /v1/alerts/{id}. */
export interface AlertView {
  status: string;
  progress: Record<string, number>;
  targeting: { voice?: number; sms?: number };
  estimatedFinishAt: string | null;
}

const sum = (p: Record<string, number>, keys: string[]) => keys.reduce((n, k) => n + (p[k] ?? 0), 0);

export function buckets(p: Record<string, number>) {
  return {
    queued: sum(p, ["pending", "claimed", "sending", "submitted"]),
    ringing: sum(p, ["ringing", "in_progress"]),
    answered: sum(p, ["answered"]),
    voicemail: sum(p, ["voicemail"]),
    sms: sum(p, ["sent", "delivered"]),
    failed: sum(p, ["busy", "no_answer", "failed", "undelivered"]),
    canceled: sum(p, ["canceled"]),
  };
}

export function isSettled(p: Record<string, number>) {
  const b = buckets(p);
  return b.queued + b.ringing === 0 && (p.sent ?? 0) === 0;
}

export function progressLine(a: AlertView, pace: number, width = 28): string {
  const b = buckets(a.progress);
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
