/**
 * What a failed carrier request means, pure. Only a per-number error ends a delivery; an account-level error says
 * nothing about the citizen and halts the whole channel until a probe succeeds; an outage backs off.
 */
export type CarrierErrorClass =
  /** Credentials, account state or caller ID: every request on this channel would fail the same way. */
  | "account"
  /** The carrier is down or busy (5xx, 429) or unreachable before the request left: try again later. */
  | "outage"
  /** No answer (timeout, reset after sending): the call may exist. Only the carrier's list can tell. */
  | "lost"
  /** This number cannot be reached on this channel, ever. */
  | "number"
  /** The carrier refused this request for another reason: it ends this delivery. */
  | "rejected";

/** Twilio error codes that concern the account, not the number. */
export const ACCOUNT_ERRORS: ReadonlySet<number | null> = new Set([
  10001, // account is not active
  10002, // trial account does not support this feature
  20003, // authenticate: bad credentials
  20005, // account not active
  20008, // test credentials used on a live resource
  21210, // caller ID (From) not verified for this account
  21212, // invalid caller ID (From)
  21606, // From is not an SMS-capable number of this account
  21611, // From number has exceeded its queue
]);

/** Twilio error codes after which this number is never tried again on this channel. */
export const NUMBER_ERRORS: ReadonlySet<number | null> = new Set([
  13224, // invalid phone number (voice)
  13225, // call to a blocked/forbidden destination
  21211, // invalid 'To' number
  21214, // 'To' number cannot be reached
  21217, // phone number does not appear to be valid
  21401, // invalid phone number
  21407, // not a supported destination
  21408, // SMS to this region not enabled
  21610, // the number has opted out (STOP at the carrier)
  21612, // cannot route to this number
  21614, // not a mobile number
  21216, // call blocked
]);

/** Network errors raised before the request reached the carrier: nothing was created. */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

export interface CarrierError {
  kind: CarrierErrorClass;
  status: number | null;
  code: number | null;
  message: string;
}

export function classifyCarrierError(err: unknown): CarrierError {
  const e = (err ?? {}) as { status?: unknown; code?: unknown; message?: unknown };
  const status = typeof e.status === "number" ? e.status : null;
  const code = typeof e.code === "number" ? e.code : null;
  const message = typeof e.message === "string" ? e.message : String(err);
  const of = (kind: CarrierErrorClass): CarrierError => ({ kind, status, code, message });
  if (status === null) return of(NOT_SENT.has(String(e.code)) ? "outage" : "lost");
  if (status === 401 || status === 403 || ACCOUNT_ERRORS.has(code)) return of("account");
  if (status === 429 || status >= 500) return of("outage");
  if (NUMBER_ERRORS.has(code)) return of("number");
  return of("rejected");
}
