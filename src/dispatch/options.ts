import type { FastifyBaseLogger } from "fastify";
import type { Db } from "../db/db.js";
import type { RetryPolicy } from "../deliveries/machine.js";
import type { Carrier } from "../twilio/carrier.js";
import type { GateOptions } from "./channel-gate.js";
import type { Pace } from "./pace.js";
import type { LostReason } from "./slot-line.js";

export interface DispatcherOptions {
  db: Db;
  carrier: Carrier;
  /** The shared pace every request to the carrier goes through. */
  pace: Pace;
  publicUrl: string;
  log: FastifyBaseLogger;
  /** The app's clock: quiet hours are decided by it at each send. */
  clock: () => Date;
  quietHours: { start: string; end: string } | null;
  timeZone: string;
  retry: RetryPolicy;
  /** A delivery at the carrier this long without a status change is looked up at the carrier. */
  callbackTimeoutMs: number;
  /** Parallel REST requests to the carrier from this instance. */
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  /** How far ahead slots are reserved: bounds how long an urgent alert waits behind claimed work. */
  lookaheadMs?: number;
  housekeepingMs?: number;
  /** Backoff of the per-channel breaker and halt probes. */
  gate?: GateOptions;
  /** The carrier client's request timeout: how long an answer can take before it counts as lost. */
  requestTimeoutMs?: number;
  onSubmitted?: (channel: string) => void;
  onSlotsLost?: (channel: string, n: number, reason: LostReason) => void;
}
