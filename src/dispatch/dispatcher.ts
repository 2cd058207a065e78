import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import PQueue from "p-queue";
import { inQuietHours } from "../alerts/quiet-hours.js";
import type { Db } from "../db/db.js";
import type { Carrier } from "../twilio/carrier.js";
import { createChannelGate, type GateOptions } from "./channel-gate.js";
import { resumeChannel } from "./halt.js";
import { carrierFailed, recordSid } from "./outcomes.js";
import { haltQueries } from "./halt-queries.js";
import { LATE_TOLERANCE_MS, type Channel, type Pace } from "./pace.js";
import { dispatchQueries as q, type HeldDelivery, type TakenDelivery } from "./queries.js";
import { reconcileLostAnswers, settleLostCallbacks } from "./reconcile.js";
import type { RetryPolicy } from "./states.js";
import { createSidBatcher } from "./sid-batch.js";
import { submitDelivery } from "./submit.js";

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
}

// A request not taken this long before its lease ends is left to the reconciler, which may hand it to
// another instance: firing it then could call someone twice.
const LEASE_SAFETY_MS = 1_000;
const leaseSafety = (leaseMs: number) => Math.min(LEASE_SAFETY_MS, leaseMs / 4);

export function createDispatcher(opts: DispatcherOptions) {
  const { db, log, pace, carrier } = opts;
  const owner = `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const leaseMs = opts.leaseMs ?? 60_000;
  const pollMs = opts.pollMs ?? 200;
  const lookaheadMs = opts.lookaheadMs ?? 300;
  const queue = new PQueue({ concurrency: opts.concurrency ?? 64 });
  const gates = { voice: createChannelGate(opts.gate), sms: createChannelGate(opts.gate) };
  let running = false;
  const sleepers = new Set<() => void>();
  const idle = new Set<() => void>();
  const loops: Promise<void>[] = [];
  /** Held here under a lease, waiting for their slot timer: not yet taken. */
  const held = new Map<number, { timer: NodeJS.Timeout; channel: Channel }>();
  /** Taken (`sending`) and waiting for their slot: nothing has left yet. */
  const taken = new Set<number>();
  /** Taken, and the request not yet answered (or its outcome not yet stored). */
  const busy = new Set<number>();
  /** Alerts cancelled or closed through this instance: what waits for a slot here is dropped. */
  const stopped = new Set<string>();
  /** Bumped by every local halt, so that a halt read from the database just before it cannot undo it. */
  const haltGeneration = { voice: 0, sms: 0 };
  /** Deliveries held so far per channel: where the round robin over police units goes on. */
  const served = { voice: 0, sms: 0 };
  const storeSid = createSidBatcher(db);

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
  const wake = () => [...idle].forEach((done) => done());

  /** The channel closed: what this instance holds of it goes back in line for whoever sends first. */
  async function releaseHeld(channel: Channel) {
    const ids = [...held].filter(([, h]) => h.channel === channel).map(([id, h]) => (clearTimeout(h.timer), id));
    ids.forEach((id) => held.delete(id));
    if (ids.length) await q.release(db, ids, owner);
  }

  /**
   * Takes the delivery (the send-time check, in one statement) just ahead of its slot, then fires the request at
   * the slot. One that misses its slot gives it up and takes a new one, so it never crowds the next second.
   */
  async function send(h: HeldDelivery, channel: Channel, slotAt: number, probe: boolean) {
    held.delete(h.id);
    const gate = gates[channel];
    const dropped = h.purpose === "alert" && stopped.has(h.alert_id); // cancelled or closed here: already ended
    if (!running || dropped || (!gate.open && !probe)) {
      if (probe) gate.probeAbandoned();
      if (running && !dropped) await q.release(db, [h.id], owner);
      return;
    }
    const quiet = inQuietHours(opts.clock(), opts.quietHours, opts.timeZone);
    const takenAt = performance.now();
    const d = (await q.take(db, h.id, owner, quiet, leaseMs)).rows[0];
    if (d?.status === "sending") {
      busy.add(d.id);
      try {
        return await fire(d, channel, slotAt, probe, takenAt);
      } finally {
        busy.delete(d.id);
      }
    }
    if (probe) gate.probeAbandoned();
    if (d?.status === "pending") wake(); // became an SMS
    if (d) log.info({ alertId: d.alert_id, deliveryId: d.id, reason: d.end_reason }, "not sent");
  }

  async function fire(d: TakenDelivery, channel: Channel, slotAt: number, probe: boolean, takenAt: number) {
    const gate = gates[channel];
    taken.add(d.id);
    for (;;) {
      const wait = slotAt - performance.now();
      if (wait > 0) await sleep(wait);
      if (performance.now() - slotAt <= LATE_TOLERANCE_MS || !running) break;
      slotAt = await pace.reserve(channel, 1);
    }
    taken.delete(d.id);
    if (!running || (!gate.open && !probe) || performance.now() > takenAt + leaseMs - leaseSafety(leaseMs)) {
      await q.notSent(db, d.id);
      return;
    }
    let sid: string;
    try {
      sid = await submitDelivery(carrier, opts.publicUrl, d);
    } catch (err) {
      await carrierFailed(
        {
          db,
          log,
          gate,
          releaseHeld: () => releaseHeld(channel),
          onLocalHalt: () => haltGeneration[channel]++,
        },
        d,
        err,
      );
      return;
    }
    opts.onSubmitted?.(channel);
    if (gate.answered() === "halted") void resumeChannel(db, log, channel).catch((err) => log.error({ err }));
    await recordSid(db, log, d, sid, storeSid);
  }

  async function channelLoop(channel: Channel) {
    const intervalMs = pace.intervalOf(channel);
    const full = Math.max(1, Math.min(500, Math.ceil((pace.rateOf(channel) * lookaheadMs) / 1000)));
    const gate = gates[channel];
    while (running) {
      try {
        let probe = false;
        if (!gate.open) {
          probe = gate.startProbe();
          if (!probe) {
            await sleep(Math.min(Math.max(gate.waitMs(), 5), pollMs), true);
            continue;
          }
        }
        const batch = probe ? 1 : full;
        // Backpressure: claim more only once most of what this instance holds has left (a slow carrier in
        // uncapped runs, or requests that missed their slot and queue again for a new one).
        if (queue.size > batch) await queue.onSizeLessThan(batch);
        if (held.size + taken.size >= batch && !probe) {
          // About the time half a batch takes to leave: a whole poll (200 ms) let an uncapped instance run dry.
          await sleep(Math.max(5, Math.min(pollMs, (batch / 2) * intervalMs)));
          continue;
        }
        const rows = (await q.hold(db, channel, owner, batch, leaseMs, served[channel])).rows;
        served[channel] += rows.length;
        if (!rows.length) {
          if (probe) gate.probeAbandoned();
          await sleep(pollMs, true);
          continue;
        }
        const t0 = await pace.reserve(channel, rows.length);
        // The take runs this far ahead of the slot, so that its round trip does not make the request late.
        const lead = pace.leadMs();
        rows.forEach((h, i) => {
          const at = t0 + i * intervalMs;
          const timer = setTimeout(
            () =>
              void queue
                .add(() => send(h, channel, at, probe))
                .catch((err) => log.error({ err, deliveryId: h.id }, "send failed")),
            Math.max(0, at - lead - performance.now()),
          );
          held.set(h.id, { timer, channel });
        });
        await sleep(t0 + (rows.length - 1) * intervalMs - lookaheadMs - performance.now());
      } catch (err) {
        if (!running) return;
        log.error({ err, channel }, "dispatch loop error");
        await sleep(1000);
      }
    }
  }

  /** Another instance halted or resumed a channel: follow it. */
  async function followHalts() {
    const generation = { ...haltGeneration };
    for (const row of (await haltQueries.state(db)).rows) {
      const gate = gates[row.channel];
      if (row.halted_at && gate.reason !== "halted" && gate.halt()) await releaseHeld(row.channel);
      else if (!row.halted_at && gate.reason === "halted" && generation[row.channel] === haltGeneration[row.channel])
        gate.answered();
    }
  }

  async function reconcileLoop() {
    const requestTimeoutMs = opts.requestTimeoutMs ?? 15_000;
    const deps = { ...opts, owner, leaseMs, requestTimeoutMs, busy: () => [...busy] };
    while (running) {
      for (const step of [
        () => reconcileLostAnswers(deps),
        () => settleLostCallbacks(deps),
        followHalts,
        () => q.housekeeping(db),
      ]) {
        try {
          await step();
        } catch (err) {
          if (!running) return;
          log.error({ err }, "reconcile error");
        }
      }
      await sleep(opts.housekeepingMs ?? 1000);
    }
  }

  return {
    owner,
    queue,
    /** Per channel: open, or closed by an outage (breaker) or an account-level halt. */
    gateState: () => ({ voice: gates.voice.reason, sms: gates.sms.reason }),
    start() {
      if (running) return;
      running = true;
      // The SDK loads its call and message modules on first use; the first request of a cold process would
      // leave long after its slot and crowd the next second. One harmless read each warms it up.
      const warm = Promise.allSettled([carrier.listTo("voice", carrier.from), carrier.listTo("sms", carrier.from)]);
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
    wake,
    async stop() {
      running = false;
      const ids = [...held.keys()];
      for (const h of held.values()) clearTimeout(h.timer);
      held.clear();
      for (const done of [...sleepers]) done();
      await queue.onIdle();
      await Promise.allSettled(loops);
      // Nothing of these went out: back in line at once rather than after the lease.
      await q.release(db, ids, owner).catch(() => {});
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
