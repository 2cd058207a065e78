import { randomBytes } from "node:crypto";

const POOL_SIZE = 16 * 1024;
let pool = randomBytes(POOL_SIZE);
let offset = 0;

/** Twilio-shaped SID: two-letter prefix and 32 hex digits. */
export function newSid(prefix: "CA" | "SM" | "RE" | "AC" | "MG" | "PN"): string {
  // One randomBytes call per thousand SIDs: SID creation sits on the hot path of call creation.
  if (offset + 16 > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const hex = pool.toString("hex", offset, offset + 16);
  offset += 16;
  return prefix + hex;
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}
