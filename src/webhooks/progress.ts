import type { FastifyBaseLogger } from "fastify";
import type { Db } from "../db/db.js";
import { publishEvent } from "../events/publish.js";
import { webhookQueries as q } from "./queries.js";

const QUEUED = ["pending", "claimed", "sending"];
const AT_CARRIER = ["submitted", "ringing", "in_progress"];
const REACHED = ["answered", "voicemail", "delivered", "sent"];

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
    const alerts = (await q.progressAlerts(db)).rows;
    for (const a of alerts) {
      const rows = (await q.progressCounts(db, a.id)).rows;
      const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
      await db.withTransaction(async (tx) => {
        const won = await q.claimProgress(tx, a.id, byStatus, intervalMs);
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
