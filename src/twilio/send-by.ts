import type { Agent, ClientRequest } from "node:http";
import { performance } from "node:perf_hooks";

// A call or message counts against the account's rate when it reaches the carrier, and the pace holds only if it
// reaches it within a few milliseconds of its slot. Between the slot and the wire lie the twilio SDK and axios:
// 1-3 ms of work per request, 7-14 ms when a GC or a burst of other work falls in between (measured on two shared
// cores). So the last check is made where the request is handed its socket, after all of that: a request begun by
// `sendBy` whose moment has passed is never written, and fails with SendTooLateError.

/** The request was not sent: its slot's last moment had passed when it was about to leave. */
export class SendTooLateError extends Error {
  override readonly name = "SendTooLateError";
  readonly code = "ERR_SEND_TOO_LATE";
  constructor(readonly lateMs: number) {
    super(`not sent: ${lateMs.toFixed(1)} ms after its last moment`);
  }
}

/** The error, or what the HTTP client wrapped it in (axios keeps the original as `cause` and its code). */
export const isSendTooLate = (err: unknown): boolean =>
  (err as { code?: unknown } | null)?.code === "ERR_SEND_TOO_LATE";

/** Carries a request's last moment from the SDK call down to the HTTP agent; never sent to the carrier. */
const SEND_BY_HEADER = "x-burgernet-send-by";

let pending: number | undefined;

/**
 * Runs `begin`, which must start exactly one carrier request synchronously (a twilio SDK create does: the SDK, its
 * domain and our RequestClient are called without an await in between), with `sendBy` (performance.now() ms) as
 * its last moment.
 */
export function beginBy<T>(sendBy: number | undefined, begin: () => T): T {
  pending = sendBy;
  try {
    return begin();
  } finally {
    pending = undefined;
  }
}

/** In the RequestClient: the last moment of the request being built, as a header for the agent. */
export function sendByHeaders(headers: Record<string, string> | undefined): Record<string, string> | undefined {
  if (pending === undefined) return headers;
  const sendBy = pending;
  pending = undefined;
  return { ...headers, [SEND_BY_HEADER]: String(sendBy) };
}

/**
 * Makes `agent` refuse a request whose last moment has passed when it is handed a socket. On a kept-alive socket its
 * headers and body are written the next tick. A request that needs a new connection is written once that is set up,
 * after this check: that delay is not bounded yet (bench/RESULTS.md, "The last check at the socket").
 */
export function gateAgent<A extends Agent>(agent: A): A {
  const addRequest = (agent as unknown as { addRequest: (req: ClientRequest, options: unknown) => void }).addRequest;
  Object.assign(agent, {
    addRequest(this: A, req: ClientRequest, options: unknown) {
      const sendBy = req.getHeader(SEND_BY_HEADER);
      if (sendBy !== undefined) {
        req.removeHeader(SEND_BY_HEADER);
        const late = performance.now() - Number(sendBy);
        // Refused as the agent refuses a request whose connection failed: no socket, the error on the request.
        if (late > 0) {
          const onSocket = req.onSocket as unknown as (socket: undefined, err: Error) => void;
          return onSocket.call(req, undefined, new SendTooLateError(late));
        }
      }
      addRequest.call(this, req, options);
    },
  });
  return agent;
}
