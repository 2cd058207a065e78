import fp from "fastify-plugin";
import type { FastifyInstance } from "fastify";
import { runPeriodically } from "../http/periodic.js";

export interface EscalationPluginOptions {
  /** One pass: decides every escalation due on the service's clock (alerts/widen.ts). */
  escalateDue: () => Promise<number>;
  /** How often a pass starts; 0: never on its own. */
  intervalMs: number;
}

/** Automatic escalation runs on every instance; each alert is decided under its row lock, once. */
export const escalationPlugin = fp(
  async (app: FastifyInstance, opts: EscalationPluginOptions) => {
    runPeriodically(app, "escalation", opts.intervalMs, () => opts.escalateDue());
  },
  { name: "escalation" },
);
