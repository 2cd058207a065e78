import type { FastifyBaseLogger } from "fastify";
import type { Db } from "../db/db.js";
import { publishEvent } from "../events/publish.js";
import { countByStatus, progressSummary, type DeliveryCounts } from "../deliveries/counts.js";
import { webhookQueries as q } from "./queries.js";

/** The alert.progress payload: the figures of the alert's GET `summary` (deliveries/counts.ts), and `byStatus`. */
export function progressData(alertId: string, status: string, counts: DeliveryCounts) {
  return { alertId, status, ...progressSummary(counts), byStatus: counts.byStatus, presence: counts.presence };
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
      const counts = await countByStatus(db, a.id);
      await db.withTransaction(async (tx) => {
        // An answer to "are you nearby now?" moves the numbers too (a JA by SMS changes no status).
        const moved = { ...counts.byStatus, presence: counts.presence };
        const won = await q.claimProgress(tx, a.id, moved, intervalMs);
        if (won.rowCount === 0) return;
        await publishEvent(tx, {
          type: "alert.progress",
          region: a.region_code,
          alertId: a.id,
          data: progressData(a.id, a.status, counts),
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
