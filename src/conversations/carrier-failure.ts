import { classifyCarrierError } from "../dispatch/carrier-errors.js";
import { Errors, withDetails } from "../errors.js";

/**
 * An operator's reply the carrier did not take, as the operator should read it: 503 when trying again shortly may
 * work (outage, account halt), 502 when the carrier refused this message or its answer was lost. The carrier's own
 * message is left out: it can quote the participant's number.
 */
export function carrierFailure(err: unknown): Error {
  const e = classifyCarrierError(err);
  const details = { carrierStatus: e.status, carrierCode: e.code, kind: e.kind };
  if (e.kind === "outage" || e.kind === "account")
    return withDetails(
      new Errors.CarrierUnavailable("The carrier is unavailable for a moment; nothing was sent, try again shortly"),
      details,
    );
  if (e.kind === "lost")
    return withDetails(
      new Errors.CarrierRefused(
        "The carrier did not answer; the reply is not recorded as sent and may not have arrived: " +
          "check before resending",
      ),
      details,
    );
  const code = e.code ? ` (code ${e.code})` : "";
  const why = e.kind === "number" ? ": the number cannot be reached by SMS" : "";
  return withDetails(new Errors.CarrierRefused(`The carrier refused this SMS${code}${why}; it was not sent`), details);
}
