import fp from "fastify-plugin";
import type { FastifyInstance } from "fastify";

export interface EscalationPluginOptions {
  /** One pass: decides every escalation due on the service's clock (alerts/widen.ts). */
  escalateDue: () => Promise<number>;
  /** How often a pass starts; 0: never on its own. */
  intervalMs: number;
}

/** Automatic escalation runs on every instance; each alert is decided under its row lock, once. */
export const escalationPlugin = fp(
  async (app: FastifyInstance, opts: EscalationPluginOptions) => {
    let running: Promise<unknown> | null = null;
    const tick = () => {
      if (running) return;
      running = opts
        .escalateDue()
        .catch((err) => app.log.error({ err }, "escalation pass failed"))
        .finally(() => (running = null));
    };
    let timer: NodeJS.Timeout | undefined;
    app.addHook("onReady", async () => {
      if (opts.intervalMs > 0) timer = setInterval(tick, opts.intervalMs).unref();
    });
    app.addHook("onClose", async () => {
      clearInterval(timer);
      await running;
    });
  },
  { name: "escalation" },
);
