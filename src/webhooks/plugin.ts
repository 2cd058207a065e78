import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { Db } from "../db/db.js";
import { createProgressPublisher } from "./progress.js";
import { createWebhookSender, type SenderOptions } from "./sender.js";

export interface WebhookWorkerOptions extends SenderOptions {
  /** false: this instance sends nothing (e.g. an API-only instance, or a test that drives the sender itself). */
  enabled?: boolean;
  progressIntervalMs?: number;
}

/** The webhook sender and the alert.progress publisher, woken by every NOTIFY of this instance's listener. */
export const webhookWorkerPlugin = fp(
  async (
    app: FastifyInstance,
    opts: { db: Db; clock: () => Date; allowPrivate: boolean; options?: WebhookWorkerOptions },
  ) => {
    if (opts.options?.enabled === false) return;
    const log = app.log.child({ component: "webhook-sender" });
    const sender = createWebhookSender({
      db: opts.db,
      log,
      clock: opts.clock,
      allowPrivate: opts.allowPrivate,
      options: opts.options,
      onAttempt: (outcome) => app.metrics?.webhookAttempts.inc({ outcome }),
    });
    const progress = createProgressPublisher({
      db: opts.db,
      log,
      intervalMs: opts.options?.progressIntervalMs ?? 5_000,
    });
    const onEvent = () => sender.wake();
    app.pgEvents.on("event", onEvent);
    app.pgEvents.on("reconnected", onEvent);
    app.addHook("onReady", async () => {
      sender.start();
      progress.start();
    });
    app.addHook("onClose", async () => {
      app.pgEvents.off("event", onEvent);
      app.pgEvents.off("reconnected", onEvent);
      await Promise.all([sender.stop(), progress.stop()]);
    });
  },
  { name: "burgernet-webhook-worker", fastify: "5.x", dependencies: ["burgernet-pg-listener"] },
);
