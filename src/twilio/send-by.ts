// A call or message counts against the account's rate when it reaches the carrier, and the pace holds only if it
// reaches it within a few milliseconds of its slot. Between the slot and the wire lie the twilio SDK and axios:
// 1-3 ms of work per request, 7-14 ms when a GC or a burst of other work falls in between (measured on two shared
// cores). So the last check is made where the request is handed its socket, after all of that, and only a socket
// already open will do (gate-agent.ts): a request begun by `sendBy` whose moment has passed is never written, and
// fails with SendTooLateError.

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
export const SEND_BY_HEADER = "x-burgernet-send-by";

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
