import { session } from "./api.js";

export interface LiveEvent {
  id: string;
  seq: number;
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

/**
 * /v1/live from a browser: the key travels as a WebSocket subprotocol (`bearer.<key>`), never in the URL; the
 * server answers with `burgernet.v1` only. On a drop we reconnect with ?since=<last seq> and miss nothing.
 */
export function connectLive(handlers: { onEvent: (e: LiveEvent) => void; onState: (up: boolean) => void }) {
  let lastSeq = 0;
  let socket: WebSocket | null = null;
  let stopped = false;
  let backoff = 500;
  let timer: number | undefined;
  const seen = new Set<string>();

  function open() {
    const key = session.key();
    if (stopped || !key) return;
    // The first connection starts from now (the alert views read their past from the API); later ones resume.
    const url = new URL(lastSeq ? `/v1/live?since=${lastSeq}` : "/v1/live", location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(url, ["burgernet.v1", `bearer.${key}`]);
    socket = ws;
    ws.onopen = () => {
      backoff = 500;
      handlers.onState(true);
    };
    ws.onmessage = (m) => {
      const msg = JSON.parse(String(m.data)) as LiveEvent;
      if (msg.type === "hello" || msg.type === "heartbeat") return;
      if (seen.has(msg.id)) return; // a catch-up may repeat what we already have
      seen.add(msg.id);
      lastSeq = Math.max(lastSeq, msg.seq);
      handlers.onEvent(msg);
    };
    ws.onclose = () => {
      handlers.onState(false);
      if (stopped) return;
      timer = window.setTimeout(open, backoff);
      backoff = Math.min(backoff * 2, 10_000);
    };
  }

  open();
  return {
    close() {
      stopped = true;
      clearTimeout(timer);
      socket?.close();
    },
  };
}
