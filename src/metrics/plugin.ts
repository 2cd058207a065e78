import fp from "fastify-plugin";
import type { FastifyInstance } from "fastify";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { countByStatus } from "../deliveries/counts.js";
import type { Db } from "../db/db.js";
import { requireRole } from "../access/auth.js";
import { VERSION } from "../build-info.js";

declare module "fastify" {
  interface FastifyInstance {
    metrics: {
      registry: Registry;
      submitted: Counter<"channel">;
      slotsLost: Counter<"channel" | "reason">;
      carrierRequests: Counter<"operation" | "outcome">;
      webhookAttempts: Counter<"outcome">;
      /** `/metrics`: this process; `/metrics/database`: figures read from the database, to be scraped once. */
      render: (path?: string) => Promise<string>;
    };
  }
}

/**
 * GET /metrics in Prometheus format: counters, latencies and Node's default metrics of this process (scrape every
 * instance, sum() them). GET /metrics/database: the figures read from the database (deliveries by status, outbox
 * depth, halted channels), the same from every instance: served apart so that a sum() over /metrics never multiplies
 * them, and read with max without (instance). Both are on METRICS_PORT when it is set (server.ts), else here with a
 * key.
 */
export const metricsPlugin = fp(
  async (
    app: FastifyInstance,
    {
      db,
      simulatedNetwork = false,
      ownPort = false,
      commit = "unknown",
    }: { db: Db; simulatedNetwork?: boolean; ownPort?: boolean; commit?: string },
  ) => {
    const registry = new Registry();
    const database = new Registry();
    // Without a prefix: process_cpu_seconds_total, nodejs_eventloop_lag_seconds… as every Node dashboard expects.
    collectDefaultMetrics({ register: registry });
    new Gauge({
      name: "burgernet_build_info",
      help: "1, labelled with the running version, its commit (BUILD_COMMIT) and Node",
      labelNames: ["version", "commit", "node"],
      registers: [registry],
    }).set({ version: VERSION, commit, node: process.version }, 1);
    const webhookAttempts = new Counter({
      name: "burgernet_webhook_attempts_total",
      help: "Operator webhook attempts by outcome (delivered, retry, gave_up, gone: 410 disabled the subscription)",
      labelNames: ["outcome"],
      registers: [registry],
    });

    const latency = new Histogram({
      name: "burgernet_http_request_duration_seconds",
      help: "HTTP request latency by route",
      labelNames: ["method", "route", "status"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    const submitted = new Counter({
      name: "burgernet_dispatch_submitted_total",
      help: "Calls and messages accepted by the carrier (rate() of this is the dispatch pace)",
      labelNames: ["channel"],
      registers: [registry],
    });
    const slotsLost = new Counter({
      name: "burgernet_dispatch_slots_lost_total",
      help:
        "Start slots reserved but passed unused, by reason: take (the send-time check came back late), " +
        "timer (the event loop was late), send (begun, but not handed an open connection by the slot's last " +
        "moment: not sent), busy (every request slot in use), empty (nobody in line)",
      labelNames: ["channel", "reason"],
      registers: [registry],
    });
    const carrierRequests = new Counter({
      name: "burgernet_carrier_requests_total",
      help: "Requests to the carrier by operation and outcome (ok, account, outage, lost, number, rejected)",
      labelNames: ["operation", "outcome"],
      registers: [registry],
    });
    const halted = new Gauge({
      name: "burgernet_dispatch_halted",
      help: "1 while the carrier refuses the account on this channel (all instances): nothing is sent on it",
      labelNames: ["channel"],
      // Also on /metrics (a flag: alert on max()), where the carrier-fault tests and dashboards read it.
      registers: [registry, database],
    });
    const gateClosed = new Gauge({
      name: "burgernet_dispatch_gate_closed",
      help: "1 while this instance does not send on the channel, by reason (outage: circuit breaker; halted)",
      labelNames: ["channel", "reason"],
      registers: [registry],
    });
    const queue = new Gauge({
      name: "burgernet_dispatch_queue_depth",
      help: "Requests waiting for a carrier slot in this instance",
      registers: [registry],
    });
    const deliveries = new Gauge({
      name: "burgernet_deliveries",
      help: "Deliveries of live and recent alerts by channel and status",
      labelNames: ["channel", "status"],
      registers: [database],
    });
    const outbox = new Gauge({
      name: "burgernet_webhook_outbox_depth",
      help: "Operator webhook deliveries not yet succeeded",
      labelNames: ["status"],
      registers: [database],
    });
    const pool = new Gauge({
      name: "burgernet_db_pool_clients",
      help: "PostgreSQL pool clients",
      labelNames: ["state"],
      registers: [registry],
    });

    new Gauge({
      name: "burgernet_simulated_network",
      help: "1 when calls and SMS go to the built-in emulator and its simulated citizens, not to a carrier",
      registers: [registry],
    }).set(simulatedNetwork ? 1 : 0);

    app.addHook("onResponse", async (req, reply) => {
      const route = req.routeOptions.url ?? "unmatched";
      if (route === "/metrics" || route === "/metrics/database") return;
      latency.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });

    async function collectHalted() {
      halted.reset();
      const h = await db.query<{ channel: string; halted: boolean }>(
        "SELECT channel, halted_at IS NOT NULL AS halted FROM pace",
      );
      for (const r of h.rows) halted.set({ channel: r.channel }, r.halted ? 1 : 0);
    }

    async function collect() {
      await collectHalted();
      queue.set(app.hasDecorator("dispatcher") ? app.dispatcher.queue.size + app.dispatcher.queue.pending : 0);
      const clients = db.poolStats();
      pool.set({ state: "total" }, clients.total);
      pool.set({ state: "idle" }, clients.idle);
      pool.set({ state: "waiting" }, clients.waiting);
      gateClosed.reset();
      if (app.hasDecorator("dispatcher")) {
        for (const [channel, reason] of Object.entries(app.dispatcher.gateState()))
          for (const r of ["outage", "halted"]) gateClosed.set({ channel, reason: r }, reason === r ? 1 : 0);
      }
    }

    async function collectDatabase() {
      await collectHalted();
      deliveries.reset();
      // Alert and closing messages together, by channel and status.
      for (const r of await countByStatus(db, "recent")) deliveries.inc({ channel: r.channel, status: r.status }, r.n);
      outbox.reset();
      const o = await db.query<{ status: string; n: number }>(
        `SELECT status, count(*) AS n FROM webhook_deliveries
          WHERE status IN ('pending', 'sending', 'failed') GROUP BY 1`,
      );
      for (const r of o.rows) outbox.set({ status: r.status }, r.n);
    }

    const render = async (path = "/metrics") => {
      if (path.replace(/\?.*$/, "").endsWith("/database")) {
        await collectDatabase();
        return database.metrics();
      }
      await collect();
      return registry.metrics();
    };
    app.decorate("metrics", { registry, submitted, slotsLost, carrierRequests, webhookAttempts, render });
    // Private by default: on the API port only with an admin or metrics key; or on its own port (server.ts).
    if (ownPort) return;
    for (const path of ["/metrics", "/metrics/database"])
      app.get(path, { schema: { hide: true }, onRequest: requireRole(db, "metrics") }, async (_req, reply) =>
        reply.type(registry.contentType).send(await render(path)),
      );
  },
  { name: "metrics" },
);
