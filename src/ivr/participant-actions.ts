import { audit } from "../audit/audit.js";
import { UNIQUE_VIOLATION, type Db } from "../db/db.js";
import { publishEvent } from "../events/publish.js";
import type { Pc4 } from "../geo/pc4.js";
import { participantQueries } from "../participants/queries.js";
import { regionOfPostcode } from "./regions.js";
import { claimStep } from "./steps.js";

export type Channel = "voice" | "sms";

/**
 * Unsubscribes the active participant with this phone (and withdraws pending registrations of it). The operator
 * hears of an active one per region with a count only, never who it was. Returns how many registrations stopped
 * (0: there was none, e.g. a retry).
 */
export async function unsubscribePhone(
  db: Db,
  phone: string,
  now: Date,
  via: Channel,
  fallbackRegion: string,
): Promise<number> {
  return db.withTransaction(async (tx) => {
    const stopped = (await participantQueries.unsubscribeByPhone(tx, phone, now)).rows;
    for (const { id, was } of stopped) {
      if (was === "pending") {
        await audit(tx, {
          actor: `citizen:${via}`,
          action: "participant.withdrawn",
          subjectType: "participant",
          subjectId: id,
          at: now,
        });
        continue;
      }
      const home = await tx.query<{ postcode: string }>(
        "SELECT postcode FROM participant_locations WHERE participant_id = $1 ORDER BY kind = 'home' DESC LIMIT 1",
        [id],
      );
      const region = regionOfPostcode(home.rows[0]?.postcode) ?? fallbackRegion;
      await audit(tx, {
        actor: `citizen:${via}`,
        action: "participant.unsubscribed",
        subjectType: "participant",
        subjectId: id,
        at: now,
      });
      await publishEvent(tx, { type: "participant.unsubscribed", region, data: { count: 1 }, at: now });
    }
    return stopped.length;
  });
}

/**
 * A new home postcode at its PC4 centroid (`postcode` may carry the letters too); a participant without a home
 * location gets one.
 */
export async function moveHome(
  db: Db,
  participantId: string,
  pc4: Pc4,
  now: Date,
  via: Channel,
  stepKey: string | null,
  postcode = pc4.pc4,
): Promise<void> {
  await db.withTransaction(async (tx) => {
    if (!(await claimStep(tx, stepKey))) return;
    const moved = await tx.query(
      `UPDATE participant_locations SET postcode = $2, lat = $3, lon = $4, source = 'pc4', house_number = NULL
        WHERE participant_id = $1 AND kind = 'home'`,
      [participantId, postcode, pc4.lat, pc4.lon],
    );
    if (moved.rowCount === 0) {
      await tx.query(
        `INSERT INTO participant_locations (participant_id, kind, postcode, lat, lon, source) VALUES ($1, 'home', $2, $3, $4, 'pc4')`,
        [participantId, postcode, pc4.lat, pc4.lon],
      );
    }
    await tx.query("UPDATE participants SET updated_at = $2 WHERE id = $1", [participantId, now]);
    await audit(tx, {
      actor: `citizen:${via}`,
      action: "participant.moved",
      subjectType: "participant",
      subjectId: participantId,
      details: { pc4: pc4.pc4 },
      at: now,
    });
  });
}

/**
 * START by SMS: the phone itself asks, which is the same proof a registration code gives, so the latest
 * unsubscribed registration of that phone becomes active again.
 */
export async function resubscribePhone(
  db: Db,
  phone: string,
  now: Date,
): Promise<"resubscribed" | "already" | "unknown"> {
  try {
    return await db.withTransaction(async (tx) => {
      const active = await tx.query("SELECT 1 FROM participants WHERE phone = $1 AND status = 'active'", [phone]);
      if (active.rowCount) return "already" as const;
      const res = await tx.query<{ id: string }>(
        `UPDATE participants SET status = 'active', unsubscribed_at = NULL, updated_at = $2
          WHERE id = (SELECT id FROM participants WHERE phone = $1 AND status = 'unsubscribed'
                       ORDER BY unsubscribed_at DESC NULLS LAST, created_at DESC LIMIT 1)
          RETURNING id`,
        [phone, now],
      );
      if (!res.rowCount) return "unknown" as const;
      await audit(tx, {
        actor: "citizen:sms",
        action: "participant.resubscribed",
        subjectType: "participant",
        subjectId: res.rows[0].id,
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
