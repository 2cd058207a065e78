import type { Queryable } from "../../src/db/db.js";
import { mobile, seedParticipants, dam } from "../helpers/participants.js";

/** An alert row straight into the table, as the alerts service would leave it. */
export async function seedAlert(
  db: Queryable,
  opts: { region?: string; status?: string; createdAt?: Date } = {},
): Promise<string> {
  const res = await db.query<{ id: string }>(
    `INSERT INTO alerts (region_code, kind, priority, status, texts, area, center_lat, center_lon,
      channels, expires_at, created_at)
     VALUES ($1, 'missing_child', 'urgent', $2, $3, $4, $5, $6, ARRAY['voice','sms'],
       now() + interval '2 hours', coalesce($7, now()))
     RETURNING id`,
    [
      opts.region ?? "RE05",
      opts.status ?? "dispatching",
      JSON.stringify({ nl: { voice: "Vermist kind", sms: "Vermist kind" } }),
      JSON.stringify({ type: "circle", center: dam, radiusMeters: 2000 }),
      dam.lat,
      dam.lon,
      opts.createdAt ?? null,
    ],
  );
  return res.rows[0].id;
}

export interface SeedDelivery {
  channel: "voice" | "sms";
  status: string;
  answeredAt?: Date;
  purpose?: "alert" | "closing";
}

/** One participant per delivery (phones from `firstPhone` on) with the given outcomes. */
export async function seedDeliveries(
  db: Queryable,
  alertId: string,
  list: SeedDelivery[],
  firstPhone = 0,
): Promise<void> {
  const ids = await seedParticipants(
    db,
    list.map((_, i) => ({ phone: mobile(firstPhone + i), ...dam })),
  );
  for (const [i, d] of list.entries()) {
    await db.query(
      `INSERT INTO deliveries (alert_id, participant_id, phone, channel, purpose, language,
        rank, distance_m, status, attempts, answered_at, completed_at)
       VALUES ($1, $2, $3, $4, $5, 'nl', $6, $7, $8, 1, $9, $9)`,
      [
        alertId,
        ids[i],
        mobile(firstPhone + i),
        d.channel,
        d.purpose ?? "alert",
        i,
        100 * i,
        d.status,
        d.answeredAt ?? null,
      ],
    );
  }
}
