import fp from "fastify-plugin";
import type { FastifyInstance } from "fastify";
import { runPeriodically } from "../http/periodic.js";
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
    runPeriodically(app, "price collection", opts.intervalMs, () => collector.run());
  },
  { name: "price-collector" },
);
