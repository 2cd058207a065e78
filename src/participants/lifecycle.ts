import { audit } from "../audit/audit.js";
import { UNIQUE_VIOLATION, type Db, type Queryable } from "../db/db.js";
import { publishEvent } from "../events/publish.js";
import { regionOfPostcode } from "../ivr/regions.js";
import { erasureTransitions } from "../deliveries/erasure.js";
import { erasureQueries as e } from "./erasure-queries.js";
import { participantQueries as q } from "./queries.js";

/**
 * The participant lifecycle after registration: unsubscribe, resubscribe, move, erase. Every way in (the API, an
 * SMS keyword, a key during a call) comes through here, so each change is the same change whoever asks.
 */
export type Via = "voice" | "sms" | "api";

/** Work a caller needs done in the same transaction first (an IVR step claim); false: skip, already done. */
export type Guard = (tx: Queryable) => Promise<boolean>;

/**
 * Unsubscribes the active participant with this phone (and withdraws pending registrations of it). The operator
 * hears of an active one per region with a count only, never who it was. Returns how many registrations stopped
 * (0: there was none, e.g. a retry).
 */
export async function unsubscribePhone(db: Db, phone: string, now: Date, via: Via, fallbackRegion: string) {
  return db.withTransaction(async (tx) => {
    const stopped = (await q.unsubscribeByPhone(tx, phone, now)).rows;
    for (const { id, was } of stopped) {
      const action = was === "pending" ? "participant.withdrawn" : "participant.unsubscribed";
      await audit(tx, { actor: `citizen:${via}`, action, subjectType: "participant", subjectId: id, at: now });
      if (was === "pending") continue;
      const region = regionOfPostcode((await q.homePostcode(tx, id)).rows[0]?.postcode) ?? fallbackRegion;
      await publishEvent(tx, { type: "participant.unsubscribed", region, data: { count: 1 }, at: now });
    }
    return stopped.length;
  });
}

/**
 * START by SMS: the phone itself asks, which is the same proof a registration code gives, so the latest
 * unsubscribed registration of that phone becomes active again. An erased one is gone for good.
 */
export async function resubscribePhone(
  db: Db,
  phone: string,
  now: Date,
): Promise<"resubscribed" | "already" | "unknown"> {
  try {
    return await db.withTransaction(async (tx) => {
      if ((await q.hasActive(tx, phone)).rowCount) return "already" as const;
      const res = await q.resubscribeLatest(tx, phone, now);
      if (!res.rowCount) return "unknown" as const;
      const subjectId = res.rows[0].id;
      await audit(tx, {
        actor: "citizen:sms",
        action: "participant.resubscribed",
        subjectType: "participant",
        subjectId,
        at: now,
      });
      return "resubscribed" as const;
    });
  } catch (err) {
    // Two START messages at once: the other one won the unique active phone.
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) return "already";
    throw err;
  }
}

/** A new home at a PC4 centroid (`postcode` may carry the letters too); a participant without a home gets one. */
export async function moveHome(
  db: Db,
  participantId: string,
  home: { pc4: string; postcode: string; lat: number; lon: number },
  now: Date,
  via: Via,
  guard?: Guard,
): Promise<void> {
  await db.withTransaction(async (tx) => {
    if (guard && !(await guard(tx))) return;
    if ((await q.moveHome(tx, participantId, home)).rowCount === 0) await q.insertHome(tx, participantId, home);
    await q.touch(tx, participantId, now);
    await audit(tx, {
      actor: `citizen:${via}`,
      action: "participant.moved",
      subjectType: "participant",
      subjectId: participantId,
      details: { pc4: home.pc4 },
      at: now,
    });
  });
}

/**
 * Which registrations an erasure takes, and whether it may reach past them to everything the number left behind.
 * Reaching past them needs proof of the number: the SMS WIS from it (no `onlyId`), or a registration of it that was
 * verified with its code. Anyone with a registration key can type a number in, so deleting a record that was never
 * verified erases that record alone: never another key's participant, nor the tips the number's owner gave.
 */
export function erasureScope(all: { id: string; status: string; verified: boolean }[], onlyId?: string) {
  if (!onlyId) return { ids: all.map((r) => r.id), proven: true };
  const target = all.find((r) => r.id === onlyId);
  if (!target?.verified) return { ids: target ? [target.id] : [], proven: false };
  // A verified record takes the older ones it replaced along, never a newer active one.
  const ids = all.filter((r) => r.id === onlyId || target.status === "active" || r.status !== "active");
  return { ids: ids.map((r) => r.id), proven: true };
}

/**
 * Erases a number: the registrations erasureScope gives become anonymous tombstones, and the number leaves their
 * deliveries, call events, tips and the event outbox in the same transaction; with proof of the number also every
 * tip it gave, webhook error texts and IVR bookkeeping. Returns the registrations erased.
 */
export async function erasePhone(db: Db, phone: string, now: Date, actor: string, onlyId?: string): Promise<string[]> {
  return db.withTransaction(async (tx) => {
    const { ids, proven } = erasureScope((await e.registrations(tx, phone)).rows, onlyId);
    const deliveries = (await erasureTransitions.participant(tx, phone, ids, now)).rows;
    const sightings = (await e.sightings(tx, phone, ids, proven)).rows;
    await e.conversations(tx, phone, ids);
    await e.callEvents(
      tx,
      phone,
      deliveries.map((d) => d.id),
    );
    await e.events(
      tx,
      phone,
      sightings.map((s) => s.id),
    );
    if (proven) {
      await e.webhookOutbox(tx, phone);
      await e.ivrSteps(tx, phone);
    }
    await e.deleteLocations(tx, ids);
    await e.auditDetails(tx, ids);
    await e.tombstones(tx, ids, now);
    for (const id of ids) {
      await audit(tx, { actor, action: "participant.erased", subjectType: "participant", subjectId: id, at: now });
    }
    return ids;
  });
}
