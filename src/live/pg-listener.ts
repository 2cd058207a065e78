import { EventEmitter } from "node:events";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import pg from "pg";
import type { Db } from "../db/db.js";
import { EVENTS_CHANNEL } from "../events/publish.js";

export interface EventNotice {
  id: string;
  seq: number;
  region: string;
}

/** Emits `event` (EventNotice) for every NOTIFY, and `reconnected` after a lost connection came back. */
export type PgEvents = EventEmitter<{ event: [EventNotice]; reconnected: [] }>;

declare module "fastify" {
  interface FastifyInstance {
    pgEvents: PgEvents;
    pgListener: { kill(): void };
  }
}

const MAX_BACKOFF_MS = 5_000;

/**
 * One LISTEN connection per instance, outside the pool so it never starves the queries, re-opened with backoff
 * when the server or the network drops it.
 */
export function startListener(db: Db, log: FastifyBaseLogger, emitter: PgEvents) {
  let client: pg.Client | null = null;
  let closing = false;
  let backoff = 100;
  let timer: NodeJS.Timeout | undefined;
  let everConnected = false;

  const connect = async () => {
    if (closing) return;
    const c = new pg.Client(db.sessionConnection);
    client = c;
    c.on("notification", (msg) => {
      if (msg.channel !== EVENTS_CHANNEL || !msg.payload) return;
      try {
        emitter.emit("event", JSON.parse(msg.payload) as EventNotice);
      } catch (err) {
        log.warn({ err }, "unreadable event notification");
      }
    });
    c.on("error", (err) => {
      log.warn({ err }, "event listener connection failed");
      lost(c);
    });
    c.on("end", () => lost(c));
    try {
      await c.connect();
      await c.query(`LISTEN ${EVENTS_CHANNEL}`);
      backoff = 100;
      if (everConnected) emitter.emit("reconnected");
      everConnected = true;
    } catch (err) {
      log.warn({ err }, "event listener could not connect");
      lost(c);
    }
  };

  const lost = (c: pg.Client) => {
    if (client !== c || closing) return;
    client = null;
    c.removeAllListeners("notification");
    c.end().catch(() => {});
    timer = setTimeout(connect, backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  };

  const ready = connect();
  return {
    ready,
    /** For tests: drop the connection as a network failure would. */
    kill: () => client && lost(client),
    async close() {
      closing = true;
      clearTimeout(timer);
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}

export const pgListenerPlugin = fp(
  async (app: FastifyInstance, opts: { db: Db }) => {
    const emitter: PgEvents = new EventEmitter();
    emitter.setMaxListeners(0);
    const listener = startListener(opts.db, app.log.child({ component: "pg-listener" }), emitter);
    await listener.ready;
    app.decorate("pgEvents", emitter);
    app.decorate("pgListener", listener);
    app.addHook("onClose", async () => {
      await listener.close();
      emitter.removeAllListeners();
    });
  },
  { name: "burgernet-pg-listener", fastify: "5.x" },
);
