import type { FastifyBaseLogger } from "fastify";
import type { Db } from "../db/db.js";
import { publishEvent } from "../events/publish.js";

const QUEUED = ["pending", "claimed", "sending"];
const AT_CARRIER = ["submitted", "ringing", "in_progress"];
const REACHED = ["answered", "voicemail", "delivered", "sent"];

/** Alerts whose numbers may still move: dispatching, or finished dispatching a short while ago (calls still ring). */
const liveAlerts = `
  SELECT id, region_code, status FROM alerts
  WHERE status = 'dispatching'
     OR (status = 'active' AND coalesce(dispatched_at, created_at) > now() - interval '15 minutes')`;

const countsOf = `
  SELECT status, count(*)::int AS n FROM deliveries WHERE alert_id = $1 AND purpose = 'alert' GROUP BY status`;

/**
 * Takes the right to publish for this alert: only when the numbers changed and the last one is at least
 * $3 ms old. Across instances the row lock makes exactly one of them win.
 */
const claimProgress = `
  INSERT INTO alert_progress AS p (alert_id, published_at, counts) VALUES ($1, now(), $2::jsonb)
  ON CONFLICT (alert_id) DO UPDATE SET published_at = now(), counts = $2::jsonb
  WHERE p.counts <> $2::jsonb AND p.published_at <= now() - ($3::bigint * interval '1 millisecond')
  RETURNING alert_id`;

export function progressData(alertId: string, status: string, byStatus: Record<string, number>) {
  const sum = (keys: string[]) => keys.reduce((s, k) => s + (byStatus[k] ?? 0), 0);
  const total = Object.values(byStatus).reduce((s, n) => s + n, 0);
  const queued = sum(QUEUED);
  const atCarrier = sum(AT_CARRIER);
  const reached = sum(REACHED);
  return {
    alertId,
    status,
    total,
    queued,
    atCarrier,
    reached,
    unreached: total - queued - atCarrier - reached,
    byStatus,
  };
}

/** Publishes `alert.progress` at most every `intervalMs` per alert while its numbers move. */
export function createProgressPublisher(deps: { db: Db; log: FastifyBaseLogger; intervalMs: number }) {
  const { db, log, intervalMs } = deps;
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let running: Promise<void> | null = null;

  async function publishDue() {
    const alerts = (await db.query<{ id: string; region_code: string; status: string }>(liveAlerts)).rows;
    for (const a of alerts) {
      const rows = (await db.query<{ status: string; n: number }>(countsOf, [a.id])).rows;
      const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
      await db.withTransaction(async (tx) => {
        const won = await tx.query(claimProgress, [a.id, JSON.stringify(byStatus), intervalMs]);
        if (won.rowCount === 0) return;
        await publishEvent(tx, {
          type: "alert.progress",
          region: a.region_code,
          alertId: a.id,
          data: progressData(a.id, a.status, byStatus),
        });
      });
    }
  }

  function loop() {
    if (stopped) return;
    running = publishDue()
      .catch((err) => {
        if (!stopped) log.warn({ err }, "alert progress failed");
      })
      .finally(() => {
        running = null;
        if (!stopped) timer = setTimeout(loop, intervalMs);
      });
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setTimeout(loop, 0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    publishDue,
  };
}
