import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import PQueue from "p-queue";
import type { Db } from "../db/db.js";
import { dispatchQueries as q, type ClaimedDelivery } from "./queries.js";
import { createDbClock } from "./db-clock.js";
import { classifySubmitError } from "./states.js";
import { findLostSubmission, submitDelivery, type SubmitContext } from "./submit.js";

export interface DispatcherOptions {
  db: Db;
  submit: SubmitContext;
  log: FastifyBaseLogger;
  /** Calls and messages started per second, for all instances together. */
  cps: number;
  mps: number;
  /** Parallel REST requests to the carrier from this instance. */
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  /** How far ahead slots are reserved: bounds how long an urgent alert waits behind claimed work. */
  lookaheadMs?: number;
  housekeepingMs?: number;
  onSubmitted?: (channel: string) => void;
}

// Slots are spaced 2% wider than the rate, and a request leaves at most LATE_TOLERANCE_MS after its slot:
// then no one-second window can hold more than the rate ((1 + δ) × 0.98 < 1 for any delay δ below 20 ms),
// which leaves ~12 ms for the way to the carrier. That is the invariant "never above the configured CPS in
// any 1 s window", bought with a pace 2% under the configured one.
const PACE_MARGIN = 0.98;
const LATE_TOLERANCE_MS = 8;
const RETRY_BACKOFF_MS = [1_000, 5_000, 15_000, 60_000];
// A request not fired this long before its lease ends is left to the reconciler, which may hand it to
// another instance: firing it then could call someone twice.
const LEASE_SAFETY_MS = 1_000;
const leaseSafety = (leaseMs: number) => Math.min(LEASE_SAFETY_MS, leaseMs / 4);

export function createDispatcher(opts: DispatcherOptions) {
  const { db, log } = opts;
  const owner = `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const leaseMs = opts.leaseMs ?? 60_000;
  const pollMs = opts.pollMs ?? 200;
  const lookaheadMs = opts.lookaheadMs ?? 300;
  const queue = new PQueue({ concurrency: opts.concurrency ?? 64 });
  const timers = new Set<NodeJS.Timeout>();
  let running = false;
  const sleepers = new Set<() => void>();
  const idle = new Set<() => void>();
  const loops: Promise<void>[] = [];
  /** Deliveries marked `sending` here whose request has not left yet. */
  const unfired = new Set<number>();
  /** Alerts cancelled or closed through this instance: what waits for a slot here is dropped. */
  const stopped = new Set<string>();
  const clock = createDbClock();
  const intervalOf = (channel: "voice" | "sms") => 1000 / ((channel === "voice" ? opts.cps : opts.mps) * PACE_MARGIN);

  /** A sleep that stop() always ends, and wake() ends early when it is an idle poll. */
  function sleep(ms: number, wakeable = false) {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(t);
        sleepers.delete(done);
        idle.delete(done);
        resolve();
      };
      const t = setTimeout(done, Math.max(0, ms));
      sleepers.add(done);
      if (wakeable) idle.add(done);
    });
  }

  /** Reserves `n` slots; returns the first as performance.now() milliseconds. */
  async function reserve(channel: "voice" | "sms", n: number) {
    const sentAt = performance.now();
    const { slot_ms, db_now_ms } = (await q.reserveSlots(db, channel, n, intervalOf(channel), clock.leadMs())).rows[0];
    clock.sample(sentAt, performance.now(), db_now_ms);
    return clock.toLocal(slot_ms);
  }

  /**
   * Fires the request at its slot. All database work happened before the slot, so the request leaves on time;
   * one that still misses it (busy event loop, full queue) must not go out late, crowding the next ones into
   * the same second: it gives the slot up and takes a new one.
   */
  async function send(d: ClaimedDelivery, slotAt: number, deadline: number) {
    while (performance.now() - slotAt > LATE_TOLERANCE_MS) {
      slotAt = await reserve(d.channel, 1);
      await sleep(slotAt - performance.now());
    }
    if (!running || performance.now() > deadline) return; // unfired: the lease and the reconciler hand it on
    unfired.delete(d.id);
    if (d.purpose === "alert" && stopped.has(d.alert_id)) {
      await q.notSent(db, d.id, false); // cancelled or closed here while it waited for its slot
      return;
    }
    const attempt = d.attempts;
    const dlog = log.child({ alertId: d.alert_id, deliveryId: d.id, channel: d.channel });
    try {
      const sid = await submitDelivery(opts.submit, d, attempt);
      await q.submitted(db, d.id, sid);
      opts.onSubmitted?.(d.channel);
      dlog.debug({ callSid: sid, attempt }, "submitted");
    } catch (err) {
      const e = err as { status?: number; code?: number; message?: string };
      const code = typeof e.code === "number" ? e.code : null;
      switch (classifySubmitError(err)) {
        case "permanent":
          dlog.info({ code, status: e.status }, "carrier refused the number for good");
          await q.failed(db, d.id, code, e.message ?? "refused");
          break;
        case "retryable":
          dlog.warn({ code, status: e.status }, "carrier busy; retrying later");
          await q.retryLater(
            db,
            d.id,
            RETRY_BACKOFF_MS[Math.min(attempt - 1, RETRY_BACKOFF_MS.length - 1)],
            code,
            e.message ?? "retryable",
          );
          break;
        default:
          dlog.warn({ err: e.message }, "no answer from the carrier; reconciling");
          await q.unknown(db, d.id, e.message ?? "unknown");
      }
    }
  }

  async function channelLoop(channel: "voice" | "sms") {
    const rate = (channel === "voice" ? opts.cps : opts.mps) * PACE_MARGIN;
    const intervalMs = intervalOf(channel);
    const batch = Math.max(1, Math.min(500, Math.ceil((rate * lookaheadMs) / 1000)));
    while (running) {
      try {
        // Backpressure: claim more only once most of what this instance holds has left (a slow carrier in
        // uncapped runs, or requests that missed their slot and queue again for a new one).
        if (queue.size > batch) await queue.onSizeLessThan(batch);
        if (unfired.size >= batch) {
          // About the time half a batch takes to leave: a whole poll (200 ms) let an uncapped instance run dry,
          // and at 100 CPS it ate most of the lookahead.
          await sleep(Math.max(5, Math.min(pollMs, (batch / 2) * intervalMs)));
          continue;
        }
        const claimedAt = performance.now();
        const claimed = (await q.claimForSending(db, channel, owner, batch, leaseMs)).rows;
        if (!claimed.length) {
          await sleep(pollMs, true);
          continue;
        }
        const deadline = claimedAt + leaseMs - leaseSafety(leaseMs);
        const t0 = await reserve(channel, claimed.length);
        claimed.forEach((d, i) => {
          unfired.add(d.id);
          const at = t0 + i * intervalMs;
          const fire = () =>
            void queue
              .add(() => send(d, at, deadline))
              .catch((err) => log.error({ err, deliveryId: d.id }, "send failed"));
          const t = setTimeout(
            () => {
              timers.delete(t);
              fire();
            },
            Math.max(0, at - performance.now()),
          );
          timers.add(t);
        });
        await sleep(t0 + (claimed.length - 1) * intervalMs - lookaheadMs - performance.now());
      } catch (err) {
        if (!running) return;
        log.error({ err, channel }, "dispatch loop error");
        await sleep(1000);
      }
    }
  }

  async function reconcileLoop() {
    while (running) {
      try {
        const lost = (await q.claimUnknown(db, owner, 20, leaseMs)).rows;
        for (const d of lost) {
          const sid = await findLostSubmission(
            opts.submit,
            d,
            async (sids) => new Set((await q.knownSids(db, sids)).rows.map((r) => r.provider_sid)),
          );
          if (sid) {
            await q.submitted(db, d.id, sid);
            log.warn(
              { alertId: d.alert_id, deliveryId: d.id, callSid: sid },
              "reconciled: the carrier had it, not sending again",
            );
          } else {
            await q.notSent(db, d.id, d.live);
            log.warn({ alertId: d.alert_id, deliveryId: d.id }, "reconciled: never reached the carrier");
          }
        }
        await q.housekeeping(db);
      } catch (err) {
        if (!running) return;
        log.error({ err }, "reconcile error");
      }
      await sleep(opts.housekeepingMs ?? 1000);
    }
  }

  return {
    owner,
    queue,
    start() {
      if (running) return;
      running = true;
      // The SDK loads its call and message modules on first use; the first request of a cold process would
      // leave long after its slot and crowd the next second. One harmless read each warms it up.
      const warm = Promise.allSettled([
        opts.submit.client.calls.list({ limit: 1 }),
        opts.submit.client.messages.list({ limit: 1 }),
      ]);
      loops.push(
        warm.then(() => channelLoop("voice")),
        warm.then(() => channelLoop("sms")),
        reconcileLoop(),
      );
    },
    /** The alert was cancelled or closed: its alert messages still waiting here for a slot are not sent. */
    stopAlert(alertId: string) {
      stopped.add(alertId);
    },
    /** An alert was just created here: look for work now rather than at the next poll. */
    wake() {
      for (const done of [...idle]) done();
    },
    async stop() {
      running = false;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const done of [...sleepers]) done();
      await queue.onIdle();
      await Promise.allSettled(loops);
      // Nothing of these went out: back in line at once rather than after the lease and a reconcile.
      await q.unsentBackToPending(db, [...unfired], owner).catch(() => {});
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
