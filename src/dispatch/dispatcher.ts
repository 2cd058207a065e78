import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import PQueue from "p-queue";
import { holdQueries } from "../deliveries/hold.js";
import { sendTransitions as q, takeVerdict } from "../deliveries/send.js";
import { inQuietHours } from "../rules/quiet-hours.js";
import { createChannelGate } from "./channel-gate.js";
import { resumeChannel } from "./halt.js";
import { createModes } from "./modes.js";
import type { DispatcherOptions } from "./options.js";
import { carrierFailed, recordSid } from "./outcomes.js";
import { LATE_TOLERANCE_MS, type Channel } from "./pace.js";
import { createSidBatcher } from "./sid-batch.js";
import { createSleeper } from "./sleeper.js";
import { createSlotLine, type LineEntry, type SlotLine } from "./slot-line.js";
import { awaitRestoreCheck } from "./restore-check.js";
import { submitDelivery, withPhotoLink } from "./submit.js";
import { upkeepLoop } from "./upkeep.js";
import { isSendTooLate } from "../twilio/send-by.js";

export type { DispatcherOptions };

// A request not taken this long before its lease ends is left to the reconciler, which may hand it to
// another instance: firing it then could call someone twice.
const LEASE_SAFETY_MS = 1_000;
const leaseSafety = (leaseMs: number) => Math.min(LEASE_SAFETY_MS, leaseMs / 4);

/**
 * Sends what is due at the shared pace: per channel a loop holds due deliveries and reserves slots (channelLoop),
 * each is taken just ahead of its slot (take) and leaves at it (fire); upkeep.ts reconciles and keeps house. Its
 * life cycle is modes.ts: idle → warming → running → stopping → stopped, each change checked.
 */
export function createDispatcher(opts: DispatcherOptions) {
  const { db, log, pace, carrier } = opts;
  const owner = `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const leaseMs = opts.leaseMs ?? 60_000;
  const pollMs = opts.pollMs ?? 200;
  const lookaheadMs = opts.lookaheadMs ?? 400;
  const concurrency = opts.concurrency ?? 64;
  const queue = new PQueue({ concurrency });
  const gates = { voice: createChannelGate(opts.gate), sms: createChannelGate(opts.gate) };
  const modes = createModes((from, to) => log.debug({ from, to }, "dispatcher mode"));
  const { sleep, wake, wakeAll } = createSleeper();
  const loops: Promise<void>[] = [];
  /** Takes in flight: stop() waits for them, so that what they took is put back before the pool closes. */
  const takes = new Set<Promise<void>>();
  /** Taken, and the request not yet answered (or its outcome not yet stored). */
  const busy = new Set<number>();
  /** Alerts cancelled or closed through this instance: what waits for a slot here is dropped. */
  const stoppedAlerts = new Set<string>();
  /** Bumped by every local halt, so that a halt read from the database just before it cannot undo it. */
  const haltGeneration = { voice: 0, sms: 0 };
  /** Deliveries held so far per channel: where the round robin over police units goes on. */
  const served = { voice: 0, sms: 0 };
  const storeSid = createSidBatcher(db);

  const lines = { voice: lineOf("voice"), sms: lineOf("sms") };

  function lineOf(channel: Channel): SlotLine {
    const intervalMs = pace.intervalOf(channel);
    return createSlotLine({
      intervalMs,
      takeAheadMs: () => takeAheadMs(channel),
      take: (e) => {
        const p = take(channel, e)
          .catch((err) => {
            log.error({ err, deliveryId: e.h.id }, "take failed");
            lines[channel].remove(e);
            if (e.probe) gates[channel].probeAbandoned();
          })
          .finally(() => takes.delete(p));
        takes.add(p);
      },
      fire: (e) =>
        void queue.add(() => fire(channel, e)).catch((err) => log.error({ err, deliveryId: e.h.id }, "send failed")),
      canFire: () => queue.pending + queue.size < concurrency,
      onLost: (n, reason) => {
        opts.onSlotsLost?.(channel, n, reason);
        wake();
      },
    });
  }

  /**
   * A delivery is taken this long before its expected slot: the database's recent round trip and a slot or 150 ms
   * to spare. The take commits, and a commit waits for the WAL to reach the disk: on two shared cores 1 take in 100
   * came back after more than 25 ms and a few after 250–550 ms, each then losing its slot. The citizen's word is
   * thus read up to a few hundred milliseconds before the call leaves, about as long as Twilio takes to place it.
   */
  const takeAheadMs = (channel: Channel) => pace.leadMs() + Math.max(150, pace.intervalOf(channel));

  /** The channel closed: what this instance holds of it goes back in line for whoever sends first. */
  async function releaseHeld(channel: Channel) {
    const ids = lines[channel].drainHeld().map((e) => e.h.id);
    if (ids.length) await q.release(db, ids, owner);
  }

  /** The send-time check (one statement), just ahead of the slot: the citizen's latest word and the alert's state. */
  async function take(channel: Channel, e: LineEntry) {
    const { h, probe } = e;
    const gate = gates[channel];
    const dropped = h.purpose !== "closing" && stoppedAlerts.has(h.alert_id); // cancelled or closed here: already ended
    if (!modes.live || dropped || (!gate.open && !probe)) {
      lines[channel].remove(e);
      if (probe) gate.probeAbandoned();
      if (modes.live && !dropped) await q.release(db, [h.id], owner);
      return;
    }
    const quiet = inQuietHours(opts.clock(), opts.quietHours, opts.timeZone);
    e.takenAt = performance.now();
    const d = (await q.take(db, h.id, owner, quiet, leaseMs)).rows[0];
    const verdict = takeVerdict(d);
    if (verdict === "send") {
      busy.add(d!.id);
      await withPhotoLink(db, log, d!); // before its slot: the request still leaves on time
      if (lines[channel].ready(e, d!)) return;
      // Drained while the take was answered (stop, channel closed): it never left.
      if (probe) gate.probeAbandoned();
      await q.notSent(db, d!.id).finally(() => busy.delete(d!.id));
      return;
    }
    lines[channel].remove(e);
    if (probe) gate.probeAbandoned();
    if (verdict === "toSms") wake(); // became an SMS
    if (d) log.info({ alertId: d.alert_id, deliveryId: d.id, reason: d.end_reason }, "not sent");
  }

  /** Its slot is now: the request leaves, unless the delivery may no longer go. */
  async function fire(channel: Channel, e: LineEntry) {
    const d = e.d!;
    const gate = gates[channel];
    let backInLine = false;
    try {
      const dropped = d.purpose !== "closing" && stoppedAlerts.has(d.alert_id);
      const leaseEnding = performance.now() > e.takenAt! + leaseMs - leaseSafety(leaseMs);
      if (!modes.live || dropped || (!gate.open && !e.probe) || leaseEnding) {
        if (e.probe) gate.probeAbandoned();
        await q.notSent(db, d.id);
        return;
      }
      let sid: string;
      try {
        sid = await submitDelivery(carrier, opts.publicUrl, d, e.slotAt! + LATE_TOLERANCE_MS);
      } catch (err) {
        if (isSendTooLate(err)) {
          // Nothing left: it takes the next slot here, or goes back for anyone once this instance stops.
          if (modes.live) {
            lines[channel].putBack(e);
            backInLine = true;
          } else await q.notSent(db, d.id);
          return;
        }
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
    } finally {
      if (!backInLine) busy.delete(d.id);
      lines[channel].pump();
    }
  }

  async function channelLoop(channel: Channel) {
    const line = lines[channel];
    const intervalMs = pace.intervalOf(channel);
    const full = Math.max(1, Math.min(500, Math.ceil((pace.rateOf(channel) * lookaheadMs) / 1000)));
    const gate = gates[channel];
    while (modes.live) {
      try {
        let probe = false;
        const owed = line.owed();
        if (!gate.open) {
          probe = gate.startProbe();
          // What is taken and lost its slot still needs one, closed or not: to leave (a probe) or to go back.
          if (!probe && !owed) {
            await sleep(Math.min(Math.max(gate.waitMs(), 5), pollMs), true);
            continue;
          }
        }
        const ahead = line.lastSlot() - performance.now();
        // Topped up to a batch when half of it is left (or a slot was lost): one hold and one reservation for half a
        // batch of calls, not one per call; early enough that the reservation is back before the line runs out.
        const low = Math.max(lookaheadMs / 2, pace.leadMs() + 50);
        if (!probe && owed === 0 && (ahead > low || line.size() > full / 2)) {
          await sleep(Math.max(5, Math.min(pollMs, ahead - low)), true);
          continue;
        }
        // Backpressure: a slow carrier (uncapped runs) keeps every request slot busy; claim more when one frees.
        if (queue.pending >= concurrency && !probe) {
          await sleep(5);
          continue;
        }
        const room = probe ? 1 : gate.open ? Math.max(0, full - line.size()) : 0;
        const rows = room ? await holdQueries.hold(db, channel, owner, room, leaseMs, served[channel]) : [];
        served[channel] += rows.length;
        if (!rows.length && !owed) {
          if (probe) gate.probeAbandoned();
          await sleep(pollMs, true);
          continue;
        }
        // Slots left by deliveries that were not sent go to the new ones first.
        const n = Math.max(0, line.size() + rows.length - line.slotCount());
        // Continues the line where it ends: a lead longer than what is left would leave a gap in every batch (seen
        // 25-50 ms per batch for the 30 s after one slow round trip raised the lead to its 250 ms cap).
        const left = line.lastSlot() - performance.now();
        const lead = left > 0 ? Math.min(pace.leadMs(), Math.max(10, left)) : pace.leadMs();
        const t0 = n ? await pace.reserve(channel, n, lead) : 0;
        line.add(
          rows,
          probe,
          Array.from({ length: n }, (_, i) => t0 + i * intervalMs),
        );
      } catch (err) {
        if (!modes.live) return;
        log.error({ err, channel }, "dispatch loop error");
        await sleep(1000);
      }
    }
  }

  return {
    owner,
    queue,
    /** Per channel: open, or closed by an outage (breaker) or an account-level halt. */
    gateState: () => ({ voice: gates.voice.reason, sms: gates.sms.reason }),
    /** The mode of its life cycle (modes.ts). */
    mode: () => modes.current,
    start() {
      if (modes.live) return;
      modes.to("warming");
      // The SDK loads its call and message modules on first use; the first request of a cold process would
      // leave long after its slot and crowd the next second. One harmless read each warms it up. A restored
      // database: nothing is sent or reconciled before live alerts are checked with the carrier.
      const warm = Promise.allSettled([
        carrier.listTo("voice", carrier.from),
        carrier.listTo("sms", carrier.from),
        pace.calibrate(),
        awaitRestoreCheck({ ...opts, owner, live: () => modes.live, sleep }),
      ]);
      const running = warm.then(() => void (modes.current === "warming" && modes.to("running")));
      loops.push(
        running.then(() => channelLoop("voice")),
        running.then(() => channelLoop("sms")),
        warm.then(() =>
          upkeepLoop({
            ...opts,
            owner,
            leaseMs,
            requestTimeoutMs: opts.requestTimeoutMs ?? 15_000,
            housekeepingMs: opts.housekeepingMs ?? 1000,
            gates,
            haltGeneration,
            busy: () => [...busy],
            releaseHeld,
            live: () => modes.live,
            sleep,
          }),
        ),
      );
    },
    /** The alert was cancelled or closed: its alert messages still waiting here for a slot are not sent. */
    stopAlert(alertId: string) {
      stoppedAlerts.add(alertId);
    },
    /** An alert was just created here: look for work now rather than at the next poll. */
    wake,
    /** Starts what is due now (called between requests): a slot's timer can wait behind a burst of them. */
    pokeSlots() {
      if (!modes.live) return;
      lines.voice.poke();
      lines.sms.poke();
    },
    async stop() {
      if (!modes.live) {
        if (modes.current === "idle") modes.to("stopped");
        return;
      }
      modes.to("stopping");
      const drained = [...lines.voice.drain(), ...lines.sms.drain()];
      wakeAll();
      await Promise.allSettled([...takes]);
      await queue.onIdle();
      await Promise.allSettled(loops);
      // Nothing of these went out: back in line at once rather than after the lease.
      const held = drained.filter((e) => e.state === "held").map((e) => e.h.id);
      await q.release(db, held, owner).catch(() => {});
      for (const e of drained.filter((e) => e.state === "ready"))
        await q
          .notSent(db, e.d!.id)
          .catch(() => {})
          .finally(() => busy.delete(e.d!.id));
      loops.length = 0;
      modes.to("stopped");
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
