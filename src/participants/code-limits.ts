import { createHash } from "node:crypto";
import type { Queryable } from "../db/db.js";
import { Errors, withDetails } from "../errors.js";
import { takeCodeSlot } from "./code-queries.js";

/** How many verification codes may go out per hour, and how many may be tried per phone (config.ts sets them). */
export interface CodeLimits {
  perPhone: number;
  perKey: number;
  total: number;
  attemptsPerPhone: number;
}

const phoneHash = (e164: string) => createHash("sha256").update(`code-events:${e164}`).digest("hex");

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function takeSlot(
  tx: Queryable,
  kind: "send" | "attempt",
  phone: string,
  keyId: string,
  at: Date,
  l: CodeLimits,
) {
  const [perPhone, perKey, total] =
    kind === "send" ? [l.perPhone, l.perKey, l.total] : [l.attemptsPerPhone, 2_147_483_647, 2_147_483_647];
  const keyIdOrNull = UUID.test(keyId) ? keyId : null;
  const res = await takeCodeSlot(tx, {
    kind,
    phoneHash: phoneHash(phone),
    keyId: keyIdOrNull,
    at,
    perPhone,
    perKey,
    total,
  });
  return res.rows[0].full;
}

const sendRefusals = {
  phone: "Too many codes sent to this number; try again later",
  key: "Too many codes sent for this API key; try again later",
  total: "Too many codes sent in the last hour; try again later",
};

/** Takes a send slot in the caller's transaction, or refuses (429) so that the transaction writes nothing. */
export async function takeSendSlot(tx: Queryable, phone: string, keyId: string, at: Date, limits: CodeLimits) {
  const full = await takeSlot(tx, "send", phone, keyId, at, limits);
  if (full) throw withDetails(new Errors.TooManyRequests(sendRefusals[full]), { limit: full, perHour: true });
}

/** Counts a code attempt for the phone, whichever registration it is for; false when the phone has none left. */
export async function takeAttemptSlot(tx: Queryable, phone: string, keyId: string, at: Date, limits: CodeLimits) {
  return (await takeSlot(tx, "attempt", phone, keyId, at, limits)) === null;
}
