import { createServer, type Server } from "node:http";
import { Webhook } from "standardwebhooks";

export interface ReceivedEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

/** A stand-in for an operator's dispatch system: accepts only correctly signed Standard Webhooks. */
export async function startReceiver(onEvent: (e: ReceivedEvent) => void) {
  let verifier: Webhook | null = null;
  const stats = { received: 0, rejected: 0, ids: new Set<string>() };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      try {
        if (!verifier) throw new Error("no secret yet");
        const payload = verifier.verify(body, req.headers as Record<string, string>) as {
          type: string;
          data: Record<string, unknown>;
        };
        const id = String(req.headers["webhook-id"]);
        stats.received++;
        // At-least-once delivery: the webhook-id tells a retry from a new event.
        if (!stats.ids.has(id)) {
          stats.ids.add(id);
          onEvent({ id, type: payload.type, data: payload.data });
        }
        res.writeHead(204).end();
      } catch {
        stats.rejected++;
        res.writeHead(401).end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/burgernet`,
    stats,
    useSecret(secret: string) {
      verifier = new Webhook(secret);
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
