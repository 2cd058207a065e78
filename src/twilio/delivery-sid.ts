import type { FastifyBaseLogger } from "fastify";
import type { Queryable } from "../db/db.js";
import { carrierSince, type Carrier } from "./carrier.js";
import { twilioQueries as q, type DeliveryOfRequest } from "./queries.js";

export interface DeliverySidDeps {
  db: Queryable;
  carrier: Pick<Carrier, "from" | "fetchCall" | "fetchMessage">;
  log: FastifyBaseLogger;
  /** How long a request waits for the SID of a delivery whose request to the carrier is still in flight. */
  sidWaitMs?: number;
}

const DEFAULT_SID_WAIT_MS = 3_000;

/**
 * Does a Twilio request about this delivery carry the delivery's own SID? Its URL alone proves nothing: a captured
 * request can be reshaped to name another delivery. The SID is the one the carrier answered our request with,
 * recorded on the delivery. Twilio may call before that answer is recorded (the call rings while the answer is on
 * its way back): then the request waits for it, and if no answer is recorded in time (it was lost), the carrier
 * itself is asked whom that SID called, and when.
 */
export function createDeliverySidCheck(deps: DeliverySidDeps) {
  const waitMs = deps.sidWaitMs ?? DEFAULT_SID_WAIT_MS;

  async function waitForSid(id: number, d: DeliveryOfRequest): Promise<DeliveryOfRequest | undefined> {
    const deadline = Date.now() + waitMs;
    let pause = 5;
    let current: DeliveryOfRequest | undefined = d;
    while (current && current.status === "sending" && !current.provider_sid && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, Math.min(pause, Math.max(1, deadline - Date.now()))));
      pause = Math.min(pause * 2, 200);
      current = (await q.delivery(deps.db, id)).rows[0];
    }
    return current;
  }

  /** The carrier's record of the SID: a call or message from our number to this delivery's, made after it was sent. */
  async function carrierSays(d: DeliveryOfRequest, sid: string): Promise<boolean> {
    if (await q.sidTaken(deps.db, sid)) return false;
    try {
      const record = d.channel === "voice" ? await deps.carrier.fetchCall(sid) : await deps.carrier.fetchMessage(sid);
      const since = d.sending_at ? carrierSince(d.sending_at) : -Infinity;
      return (
        record.to === d.phone && record.from === deps.carrier.from && (record.createdAt?.getTime() ?? Infinity) >= since
      );
    } catch (err) {
      deps.log.warn({ err, callSid: sid }, "could not ask the carrier about a SID");
      return false;
    }
  }

  return async function isDeliverySid(id: number, channel: "voice" | "sms", sid: string): Promise<boolean> {
    if (!Number.isSafeInteger(id)) return false;
    const first = (await q.delivery(deps.db, id)).rows[0];
    if (!first || first.channel !== channel) return false;
    if (first.provider_sid) return first.provider_sid === sid;
    const d = await waitForSid(id, first);
    if (!d) return false;
    if (d.provider_sid) return d.provider_sid === sid;
    return carrierSays(d, sid);
  };
}
