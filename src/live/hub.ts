import type { FastifyBaseLogger } from "fastify";
import type { WebSocket } from "ws";
import type { Db } from "../db/db.js";
import { eventBody, webhookId, type EventRow } from "../webhooks/payload.js";
import type { EventNotice, PgEvents } from "./pg-listener.js";
import { revokedAmong } from "../access/keys.js";
import { liveQueries as q } from "./queries.js";

export interface LiveOptions {
  heartbeatMs?: number;
  /** A client whose unsent data passes this is cut off rather than allowed to grow our memory. */
  maxBufferedBytes?: number;
  /** Sockets one API key may hold on this instance. */
  maxConnectionsPerKey?: number;
}

interface Client {
  socket: WebSocket;
  /** null: every region (admin). */
  region: string | null;
  keyId: string;
  alive: boolean;
}

export function liveMessage(e: EventRow): string {
  return JSON.stringify({ id: webhookId(e.id), seq: e.seq, ...eventBody(e) });
}

/**
 * Fans events heard on this instance's LISTEN connection out to its WebSocket clients. Notices that arrive
 * together are read from the events table in one query.
 */
export function createHub(deps: { db: Db; log: FastifyBaseLogger; events: PgEvents; options?: LiveOptions }) {
  const { db, log } = deps;
  const heartbeatMs = deps.options?.heartbeatMs ?? 25_000;
  const maxBuffered = deps.options?.maxBufferedBytes ?? 1024 * 1024;
  const maxPerKey = deps.options?.maxConnectionsPerKey ?? 5;
  const clients = new Set<Client>();
  let pending: string[] = [];
  let flushing = false;
  let lastSeq = 0;
  let closed = false;

  function deliver(client: Client, text: string) {
    const { socket } = client;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > maxBuffered) {
      log.warn({ bufferedBytes: socket.bufferedAmount, region: client.region }, "live client too slow: disconnected");
      clients.delete(client);
      socket.terminate();
      return;
    }
    socket.send(text);
  }

  function broadcast(rows: EventRow[]) {
    for (const e of rows) {
      lastSeq = Math.max(lastSeq, e.seq);
      const text = liveMessage(e);
      for (const c of clients) if (c.region === null || c.region === e.region_code) deliver(c, text);
    }
  }

  async function flush() {
    if (flushing || closed) return;
    flushing = true;
    try {
      while (pending.length && !closed) {
        const ids = pending;
        pending = [];
        if (clients.size === 0) continue;
        const rows = (await q.eventsByIds(db, ids)).rows;
        broadcast(rows);
      }
    } catch (err) {
      if (!closed) log.warn({ err }, "live feed could not read events");
    } finally {
      flushing = false;
    }
  }

  const onEvent = (n: EventNotice) => {
    if (typeof n.id !== "string" || typeof n.region !== "string") return;
    // No lastSeq from the notice: the channel is shared by every schema on the server (one per test file, or per
    // deployment), so a notice's seq may be another table's. lastSeq moves only with rows read from our own table.
    pending.push(n.id);
    if (pending.length === 1) setImmediate(flush);
  };

  /** NOTIFYs sent while the LISTEN connection was down are lost: read what we missed from the table. */
  const onReconnected = async () => {
    if (clients.size === 0) return;
    try {
      const rows = (await q.eventsAfterReconnect(db, lastSeq)).rows;
      broadcast(rows);
    } catch (err) {
      log.warn({ err }, "live feed could not catch up after reconnecting");
    }
  };

  deps.events.on("event", onEvent);
  deps.events.on("reconnected", onReconnected);

  const keysOf = () => [...new Set([...clients].map((c) => c.keyId))];

  function closeKey(keyId: string) {
    for (const c of clients) {
      if (c.keyId !== keyId) continue;
      clients.delete(c);
      c.socket.close(4401, "API key revoked");
    }
  }

  /** A key revoked through another instance: its sockets here close at the next heartbeat. */
  async function closeRevoked() {
    if (clients.size === 0) return;
    try {
      for (const id of await revokedAmong(db, keysOf())) closeKey(id);
    } catch (err) {
      if (!closed) log.warn({ err }, "live feed could not check for revoked keys");
    }
  }

  const heartbeat = setInterval(() => {
    void closeRevoked();
    const text = JSON.stringify({ type: "heartbeat", timestamp: new Date().toISOString() });
    for (const c of clients) {
      if (!c.alive) {
        clients.delete(c);
        c.socket.terminate();
        continue;
      }
      c.alive = false;
      c.socket.ping();
      deliver(c, text);
    }
  }, heartbeatMs);

  return {
    /** Registers a socket; `sinceSeq` replays what the client missed (its region, the last 24 h, at most 1,000). */
    async add(socket: WebSocket, region: string | null, sinceSeq: number | undefined, keyId: string) {
      // Checked again here: two upgrades of one key at once both passed the route's check.
      if (this.connectionsOf(keyId) >= maxPerKey) return socket.close(4429, "too many live connections for this key");
      const client: Client = { socket, region, keyId, alive: true };
      socket.on("pong", () => (client.alive = true));
      socket.on("close", () => clients.delete(client));
      socket.on("error", () => clients.delete(client));
      clients.add(client);
      deliver(client, JSON.stringify({ type: "hello", region, heartbeatMs }));
      // Registered before the catch-up read, so nothing falls between the two; a duplicate carries the same id.
      if (sinceSeq === undefined) return;
      try {
        const rows = (await q.eventsSince(db, sinceSeq, region)).rows;
        for (const e of rows) deliver(client, liveMessage(e));
      } catch (err) {
        // Called on a request path: a rejection here would be unhandled and stop the process.
        log.warn({ err }, "live feed could not replay missed events");
        clients.delete(client);
        socket.close(1011, "could not replay missed events");
      }
    },
    size: () => clients.size,
    connectionsOf: (keyId: string) => [...clients].filter((c) => c.keyId === keyId).length,
    maxConnectionsPerKey: maxPerKey,
    closeKey,
    async close() {
      closed = true;
      clearInterval(heartbeat);
      deps.events.off("event", onEvent);
      deps.events.off("reconnected", onReconnected);
      for (const c of clients) c.socket.close(1001, "server shutting down");
      clients.clear();
    },
  };
}

export type Hub = ReturnType<typeof createHub>;
