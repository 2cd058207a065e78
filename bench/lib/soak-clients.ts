// What a dispatch centre keeps open during the soak: a webhook receiver and live-feed clients, each counting what
// it received, so that the run can say whether anything was lost or arrived twice.
import { createServer, type Server } from "node:http";
import WebSocket from "ws";
import { freePort } from "./children.js";

export interface WebhookReceiver {
  url: string;
  received(): { total: number; unique: number; byType: Record<string, number> };
  close(): Promise<void>;
}

/** Answers every POST with 204 and counts it by webhook-id (delivered at least once: a repeat is allowed). */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const ids = new Set<string>();
  const byType: Record<string, number> = {};
  let total = 0;
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      total++;
      ids.add(String(req.headers["webhook-id"] ?? ""));
      try {
        const type = (JSON.parse(body) as { type?: string }).type ?? "?";
        byType[type] = (byType[type] ?? 0) + 1;
      } catch {
        byType["unreadable"] = (byType["unreadable"] ?? 0) + 1;
      }
      res.writeHead(204).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((ok) => server.listen(port, "127.0.0.1", ok));
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received: () => ({ total, unique: ids.size, byType: { ...byType } }),
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

export interface LiveClients {
  /** Events (not hellos or heartbeats) each client received, and how many times a client was disconnected. */
  counts(): { events: number[]; disconnects: number };
  close(): void;
}

/** `n` WebSocket clients on /v1/live, reconnecting with `?since=` as docs/integration.md tells clients to. */
export function startLiveClients(serviceUrl: string, key: string, n: number): LiveClients {
  const events = Array.from({ length: n }, () => 0);
  const lastSeq = Array.from({ length: n }, () => 0);
  const sockets: WebSocket[] = [];
  let disconnects = 0;
  let closing = false;
  const open = (i: number) => {
    const since = lastSeq[i] ? `?since=${lastSeq[i]}` : "";
    const ws = new WebSocket(`${serviceUrl.replace(/^http/, "ws")}/v1/live${since}`, ["burgernet.v1"], {
      headers: { authorization: `Bearer ${key}` },
    });
    sockets[i] = ws;
    ws.on("message", (m) => {
      const msg = JSON.parse(String(m)) as { type: string; seq?: number };
      if (msg.seq === undefined) return;
      events[i]++;
      lastSeq[i] = Math.max(lastSeq[i], msg.seq);
    });
    ws.on("error", () => {});
    ws.on("close", () => {
      if (closing) return;
      disconnects++;
      setTimeout(() => open(i), 1_000);
    });
  };
  for (let i = 0; i < n; i++) open(i);
  return {
    counts: () => ({ events: [...events], disconnects }),
    close() {
      closing = true;
      for (const ws of sockets) ws.close();
    },
  };
}
