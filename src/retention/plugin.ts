import fp from "fastify-plugin";
import type { FastifyInstance } from "fastify";
import { runPeriodically } from "../http/periodic.js";
import { createRetention, type Retention, type RetentionDeps } from "./job.js";

declare module "fastify" {
  interface FastifyInstance {
    /** The retention job; `run()` does one pass now (tests move the clock, then run it). */
    retention: Retention;
  }
}

export interface RetentionPluginOptions extends Omit<RetentionDeps, "log"> {
  /** How often a pass starts; 0: never on its own. */
  intervalMs: number;
}

/** Housekeeping of personal data: every instance runs it; batches make concurrent passes harmless. */
export const retentionPlugin = fp(
  async (app: FastifyInstance, opts: RetentionPluginOptions) => {
    const retention = createRetention({ ...opts, log: app.log.child({ job: "retention" }) });
    app.decorate("retention", retention);
    runPeriodically(app, "retention", opts.intervalMs, () => retention.run());
  },
  { name: "retention" },
);
