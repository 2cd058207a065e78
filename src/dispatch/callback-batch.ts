import type { FastifyBaseLogger } from "fastify";
import type { Db, Queryable } from "../db/db.js";
import { callbackTransitions as q } from "../deliveries/callbacks.js";
import { closingMessages } from "../deliveries/closing.js";
import { updateMessages } from "../deliveries/updates.js";
import type { RetryPolicy } from "../deliveries/machine.js";
import { applyCallback, changeOf, providerStatusOf, sidOf, type CallbackKind } from "./callbacks.js";

export interface StatusCallback {
  kind: CallbackKind;
  deliveryId: number;
  attempt: number;
  params: Record<string, string>;
}

/**
 * Applies a batch of callbacks in one transaction, a few statements for all of them. Callbacks of one delivery go
 * in arrival order, each in its own round, so the state machine sees exactly what it would see one by one.
 */
export async function applyCallbackBatch(tx: Queryable, batch: StatusCallback[], policy: RetryPolicy) {
  const rounds: StatusCallback[][] = [];
  const seen = new Map<number, number>();
  for (const c of batch) {
    const round = seen.get(c.deliveryId) ?? 0;
    seen.set(c.deliveryId, round + 1);
    (rounds[round] ??= []).push(c);
  }
  for (const [i, round] of rounds.entries()) {
    // The first round locks every delivery of the batch, in id order: two batches never wait on each other crosswise.
    const ids = i === 0 ? [...seen.keys()] : round.map((c) => c.deliveryId);
    const states = new Map((await q.lockMany(tx, ids)).rows.map((d) => [Number(d.id), d]));
    const changes = round.map((c) => changeOf(states.get(c.deliveryId), c.attempt, c.params, policy));
    // Recorded after the row locks, as one by one (callbacks.ts): no key-share lock to upgrade. Recording and the
    // transitions are one statement: a round trip per round instead of three.
    await q.applyMany(
      tx,
      round.map((c) => ({
        deliveryId: states.has(c.deliveryId) ? c.deliveryId : null,
        sid: sidOf(c.params),
        kind: c.kind,
        status: providerStatusOf(c.params),
        params: c.params,
      })),
      changes.flatMap((c) => (c.move ? [c.move] : [])),
      changes.flatMap((c) => (c.retry ? [c.retry] : [])),
    );
    for (const c of changes) {
      if (c.closing) await closingMessages.ifClosed(tx, c.move!.id);
      if (c.followUp) await updateMessages.ifUpdatedSince(tx, c.move!.id);
    }
  }
}

interface Waiting extends StatusCallback {
  done: (err?: unknown) => void;
}

/**
 * Group commit for status callbacks: those that arrive within `windowMs` of each other, or while the batch before
 * them commits, are applied in one transaction. Each caller's promise settles only when its batch has committed:
 * nothing is acknowledged to the carrier before it is durable. A batch that fails is applied again one by one, so one
 * bad callback fails alone.
 */
export function createCallbackBatcher(opts: {
  db: Db;
  policy: RetryPolicy;
  log: FastifyBaseLogger;
  windowMs?: number;
  maxBatch?: number;
  /** Batches committing at once (each holds one connection). */
  parallel?: number;
}) {
  const { db, policy } = opts;
  const windowMs = opts.windowMs ?? 2;
  const maxBatch = opts.maxBatch ?? 200;
  const parallel = opts.parallel ?? 2;
  const waiting: Waiting[] = [];
  let timer: NodeJS.Timeout | undefined;
  let active = 0;

  async function oneByOne(batch: Waiting[]) {
    for (const c of batch) {
      try {
        await db.withTransaction((tx) => applyCallback(tx, c.kind, c.deliveryId, c.attempt, c.params, policy));
        c.done();
      } catch (err) {
        c.done(err);
      }
    }
  }

  async function flush() {
    const batch = waiting.splice(0, maxBatch);
    active++;
    try {
      await db.withTransaction((tx) => applyCallbackBatch(tx, batch, policy));
      batch.forEach((c) => c.done());
    } catch (err) {
      opts.log.warn({ err, size: batch.length }, "status callback batch failed: applying one by one");
      await oneByOne(batch);
    } finally {
      active--;
    }
    // What arrived while this batch committed has waited long enough: it goes at once.
    if (waiting.length && active < parallel) void flush();
  }

  return {
    apply(c: StatusCallback): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ ...c, done: (err) => (err === undefined ? resolve() : reject(err)) });
        if (waiting.length >= maxBatch && active < parallel) {
          clearTimeout(timer);
          timer = undefined;
          void flush();
        } else if (!timer && active < parallel) {
          timer = setTimeout(() => {
            timer = undefined;
            if (waiting.length) void flush();
          }, windowMs);
        }
      });
    },
  };
}

export type CallbackBatcher = ReturnType<typeof createCallbackBatcher>;
