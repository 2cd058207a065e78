import type { FastifyBaseLogger } from "fastify";
import type { Db } from "../db/db.js";
import type { RetryPolicy } from "../deliveries/machine.js";
import { restoredDeliveries, type UnsettledDelivery } from "../deliveries/restored.js";
import { STATUS } from "../deliveries/statuses.js";
import { databaseIdentity, restoreGuard } from "../restore/guard.js";
import { carrierSince, type Carrier, type CarrierRecord } from "../twilio/carrier.js";
import { applyCallback } from "./callbacks.js";
import { asCallback } from "./reconcile.js";

export interface RestoreCheckDeps {
  db: Db;
  carrier: Carrier;
  log: FastifyBaseLogger;
  owner: string;
  retry: RetryPolicy;
  live: () => boolean;
  sleep: (ms: number) => Promise<void>;
}

const LEASE_MS = 120_000;

/**
 * Before this instance sends anything: if the database was restored (its identity changed, or an operator said so),
 * a dump taken during an alert knows nothing of what was sent after it. One instance asks the carrier about every
 * unsettled delivery of a live alert; the others wait for it. Never skipped: a carrier that does not answer is asked
 * again.
 */
export async function awaitRestoreCheck(deps: RestoreCheckDeps): Promise<void> {
  const { db, log, owner } = deps;
  let observed = false;
  while (deps.live()) {
    try {
      if (!observed) {
        const seen = (await restoreGuard.observe(db, await databaseIdentity(db))).rows[0];
        observed = true;
        if (!seen?.required) return;
        log.warn({ reason: seen.reason }, "restore: checking live alerts with the carrier before sending");
      }
      const claim = (await restoreGuard.claim(db, owner, LEASE_MS)).rows[0];
      if (claim) {
        const counts = await checkWithCarrier(deps);
        await restoreGuard.finish(db, owner, claim.since);
        log.warn(counts, "restore: live alerts checked with the carrier");
        return;
      }
      if (!(await restoreGuard.required(db))) return;
    } catch (err) {
      log.error({ err }, "restore: check failed, trying again");
    }
    await deps.sleep(1000);
  }
}

/** Per number: the carrier's calls or messages to it, matched to the deliveries the database still has open. */
export async function checkWithCarrier(deps: RestoreCheckDeps) {
  const { db, carrier, owner } = deps;
  const rows = (await restoredDeliveries.unsettled(db)).rows;
  const byNumber = new Map<string, UnsettledDelivery[]>();
  for (const d of rows)
    byNumber.set(`${d.channel} ${d.phone}`, [...(byNumber.get(`${d.channel} ${d.phone}`) ?? []), d]);
  const counts = { deliveries: rows.length, numbers: byNumber.size, adopted: 0, settled: 0 };
  let renewed = Date.now();
  for (const group of byNumber.values()) {
    if (Date.now() - renewed > LEASE_MS / 4) {
      await restoreGuard.claim(db, owner, LEASE_MS);
      renewed = Date.now();
    }
    const records = (await carrier.listTo(group[0].channel, group[0].phone)).filter(
      (r) => r.from === carrier.from && r.createdAt,
    );
    const used = new Set<string>();
    // The newest alert first: a record made after two alerts began is the later one's.
    for (const d of group.reverse()) {
      const outcome = await settle(deps, d, records, used);
      if (outcome) counts[outcome]++;
    }
  }
  return counts;
}

async function settle(deps: RestoreCheckDeps, d: UnsettledDelivery, records: CarrierRecord[], used: Set<string>) {
  const { db, retry } = deps;
  const since = carrierSince(d.alert_created_at);
  const candidates = records
    .filter((r) => r.createdAt!.getTime() >= since && !used.has(r.sid))
    .sort((a, b) => b.createdAt!.getTime() - a.createdAt!.getTime());
  const known = new Set(
    candidates.length
      ? (
          await restoredDeliveries.knownSids(
            db,
            d.id,
            candidates.map((c) => c.sid),
          )
        ).rows.map((r) => r.sid)
      : [],
  );
  const unknown = candidates.filter((c) => !known.has(c.sid));
  const kind = d.channel === "voice" ? "call-fetched" : "sms-fetched";
  if (unknown.length) {
    // Made after the dump: the newest is this delivery's latest attempt, the others its earlier ones.
    unknown.forEach((r) => used.add(r.sid));
    const attempts = d.attempts - (d.status === STATUS.sending ? 1 : 0) + unknown.length;
    const latest = unknown[0];
    await db.withTransaction(async (tx) => {
      await restoredDeliveries.adopt(tx, d.id, latest.sid, attempts, latest.createdAt);
      await applyCallback(tx, kind, d.id, attempts, asCallback(d.channel, latest), retry);
    });
    return "adopted" as const;
  }
  const current = d.provider_sid ? records.find((r) => r.sid === d.provider_sid) : undefined;
  if (!current) return null; // never sent after the dump: it goes out as usual
  await db.withTransaction((tx) => applyCallback(tx, kind, d.id, d.attempts, asCallback(d.channel, current), retry));
  return "settled" as const;
}
