import type { Db } from "../../src/db/db.js";
import { seedAlert, seedDeliveries, type SeedDelivery } from "../reports/seed.js";
import { emit } from "../webhooks/harness.js";

/** 2026-11-02T10:15Z is 11:15 in Amsterdam (winter time). */
export const T0 = new Date("2026-11-02T10:15:00Z");
export const at = (base: Date, s: number) => new Date(base.getTime() + s * 1000);
export const hours = (h: number) => at(T0, h * 3600);

interface SeedAlertFigures {
  region: string;
  kind: string;
  createdAt: Date;
  status?: string;
  outcome?: "found" | "not_found" | null;
  deliveries: SeedDelivery[];
  /** Seconds after creation, and how the tip came in. */
  tips?: [number, "voice" | "sms" | "inbound"][];
  putThroughs?: number;
  firstPhone: number;
  /** The alert asks "are you nearby now?"; `near` are the deliveries (by index) answered near, `away` away. */
  presenceCheck?: boolean;
  near?: number[];
  away?: number[];
  /** The carrier's price in euros of deliveries (by index); null: not priced yet. */
  prices?: [number, number | null][];
  drill?: boolean;
}

/** An alert with the deliveries, tips and put-throughs an alert report would count. */
export async function seedAlertFigures(db: Db, a: SeedAlertFigures): Promise<string> {
  const id = await seedAlert(db, { region: a.region, status: a.status ?? "closed", createdAt: a.createdAt });
  await db.query("UPDATE alerts SET kind = $2, outcome = $3 WHERE id = $1", [id, a.kind, a.outcome ?? null]);
  await seedDeliveries(db, id, a.deliveries, a.firstPhone);
  await db.query("UPDATE alerts SET presence_check = $2, mode = $3 WHERE id = $1", [
    id,
    a.presenceCheck ?? false,
    a.drill ? "drill" : "live",
  ]);
  for (const [answer, list] of [
    ["near", a.near ?? []],
    ["away", a.away ?? []],
  ] as const)
    for (const i of list)
      await db.query("UPDATE deliveries SET presence = $3, presence_at = now() WHERE alert_id = $1 AND rank = $2", [
        id,
        i,
        answer,
      ]);
  for (const [i, eur] of a.prices ?? []) {
    const sid = `SM${a.firstPhone + i}`;
    const d = await db.query<{ channel: string; purpose: string }>(
      "UPDATE deliveries SET provider_sid = $3 WHERE alert_id = $1 AND rank = $2 RETURNING channel, purpose",
      [id, i, sid],
    );
    await db.query(
      `INSERT INTO carrier_prices (sid, alert_id, region_code, channel, purpose, price, price_unit, price_eur, asked)
       VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6::numeric IS NOT NULL THEN 'EUR' END, $6, 1)`,
      [sid, id, a.region, d.rows[0].channel, d.rows[0].purpose, eur],
    );
  }
  for (const [s, source] of a.tips ?? [])
    await db.query(
      "INSERT INTO sightings (alert_id, region_code, source, transcript, created_at) VALUES ($1, $2, $3, 'gezien', $4)",
      [id, a.region, source, at(a.createdAt, s)],
    );
  for (let i = 0; i < (a.putThroughs ?? 0); i++)
    await emit(db, { type: "call.connected", region: a.region, alertId: id, data: {} });
  return id;
}

const times = (n: number, d: SeedDelivery) => Array.from({ length: n }, () => d);

/**
 * Three alerts in range and two that are not counted (one before `from`, one a draft):
 * - A, RE05 missing_child at 11:15, found: 8 calls (2 answered, 1 voicemail, busy, 2 no answer, failed, ringing),
 *   4 SMS (2 delivered, undelivered, canceled) and a closing SMS; tips at 95 s (voice), 140 s (sms), 300 s
 *   (inbound); 2 put through. It asked "are you nearby now?": one answered call and one SMS reply near, one call
 *   away. The carrier charged € 0.0463 for each answered call, € 0.0791 for an SMS and the closing SMS, and has
 *   not priced the voicemail yet: € 0.2508, € 0.25 in its report.
 * - B, RE01 vehicle at 12:15, not found: 2 calls (1 answered, 1 no answer), 1 SMS delivered; a tip at 40 s by SMS.
 *   Asked nothing; € 0.0463 + € 0.0791 = € 0.13.
 * - C, RE05 vehicle at 13:15, still active: 2 busy calls, € 0.0463 each: € 0.09.
 * - D, RE05 vehicle at 15:15, a drill, found: 1 call answered (near), 1 SMS delivered; a tip at 30 s; € 0.05.
 */
export async function seedAnalytics(db: Db) {
  const A = await seedAlertFigures(db, {
    region: "RE05",
    kind: "missing_child",
    createdAt: T0,
    outcome: "found",
    firstPhone: 0,
    deliveries: [
      { channel: "voice", status: "answered", answeredAt: at(T0, 42) },
      { channel: "voice", status: "answered", answeredAt: at(T0, 30) },
      { channel: "voice", status: "voicemail", answeredAt: at(T0, 12) },
      { channel: "voice", status: "busy" },
      ...times(2, { channel: "voice", status: "no_answer" }),
      { channel: "voice", status: "failed" },
      { channel: "voice", status: "ringing" },
      ...times(2, { channel: "sms", status: "delivered" }),
      { channel: "sms", status: "undelivered" },
      { channel: "sms", status: "canceled" },
      { channel: "sms", status: "delivered", purpose: "closing" },
    ],
    tips: [
      [95, "voice"],
      [140, "sms"],
      [300, "inbound"],
    ],
    putThroughs: 2,
    presenceCheck: true,
    near: [0, 8],
    away: [1],
    prices: [
      [0, 0.0463],
      [1, 0.0463],
      [2, null],
      [8, 0.0791],
      [12, 0.0791],
    ],
  });
  const B = await seedAlertFigures(db, {
    region: "RE01",
    kind: "vehicle",
    createdAt: hours(1),
    outcome: "not_found",
    firstPhone: 100,
    deliveries: [
      { channel: "voice", status: "answered", answeredAt: at(hours(1), 20) },
      { channel: "voice", status: "no_answer" },
      { channel: "sms", status: "delivered" },
    ],
    tips: [[40, "sms"]],
    prices: [
      [0, 0.0463],
      [2, 0.0791],
    ],
  });
  const C = await seedAlertFigures(db, {
    region: "RE05",
    kind: "vehicle",
    createdAt: hours(2),
    status: "active",
    firstPhone: 200,
    deliveries: times(2, { channel: "voice", status: "busy" }),
    prices: [
      [0, 0.0463],
      [1, 0.0463],
    ],
  });
  const D = await seedAlertFigures(db, {
    region: "RE05",
    kind: "vehicle",
    createdAt: hours(4),
    outcome: "found",
    firstPhone: 500,
    drill: true,
    deliveries: [
      { channel: "voice", status: "answered", answeredAt: at(hours(4), 10) },
      { channel: "sms", status: "delivered" },
    ],
    tips: [[30, "voice"]],
    presenceCheck: true,
    near: [0],
    prices: [[0, 0.0463]],
  });
  await seedAlertFigures(db, {
    region: "RE05",
    kind: "vehicle",
    createdAt: hours(-30),
    outcome: "found",
    firstPhone: 300,
    deliveries: [{ channel: "voice", status: "answered", answeredAt: hours(-30) }],
    tips: [[10, "voice"]],
  });
  await seedAlertFigures(db, {
    region: "RE05",
    kind: "vehicle",
    createdAt: hours(3),
    status: "draft",
    firstPhone: 400,
    deliveries: [],
  });
  return { A, B, C, D, from: hours(-1), to: hours(24) };
}
