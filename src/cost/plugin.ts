import fp from "fastify-plugin";
import type { FastifyInstance } from "fastify";
import { createPriceCollector, type CollectorDeps, type PriceCollector } from "./collector.js";

declare module "fastify" {
  interface FastifyInstance {
    /** Reads the carrier's price of final calls and SMS; `run()` does one pass now. */
    priceCollector: PriceCollector;
  }
}

export interface PriceCollectorOptions extends Omit<CollectorDeps, "log"> {
  /** How often a pass starts; 0: never on its own. */
  intervalMs: number;
}

/** Every instance runs it; claims with SKIP LOCKED keep two passes from asking for the same price. */
export const priceCollectorPlugin = fp(
  async (app: FastifyInstance, opts: PriceCollectorOptions) => {
    const collector = createPriceCollector({ ...opts, log: app.log.child({ job: "prices" }) });
    app.decorate("priceCollector", collector);
    let running: Promise<unknown> | null = null;
    const tick = () => {
      if (running) return;
      running = collector
        .run()
        .catch((err) => app.log.error({ err }, "price collection failed"))
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
  { name: "price-collector" },
);
