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
}

/** An alert with the deliveries, tips and put-throughs an alert report would count. */
export async function seedAlertFigures(db: Db, a: SeedAlertFigures): Promise<string> {
  const id = await seedAlert(db, { region: a.region, status: a.status ?? "closed", createdAt: a.createdAt });
  await db.query("UPDATE alerts SET kind = $2, outcome = $3 WHERE id = $1", [id, a.kind, a.outcome ?? null]);
  await seedDeliveries(db, id, a.deliveries, a.firstPhone);
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
 *   (inbound); 2 put through.
 * - B, RE01 vehicle at 12:15, not found: 2 calls (1 answered, 1 no answer), 1 SMS delivered; a tip at 40 s by SMS.
 * - C, RE05 vehicle at 13:15, still active: 2 busy calls.
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
  });
  const C = await seedAlertFigures(db, {
    region: "RE05",
    kind: "vehicle",
    createdAt: hours(2),
    status: "active",
    firstPhone: 200,
    deliveries: times(2, { channel: "voice", status: "busy" }),
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
  return { A, B, C, from: hours(-1), to: hours(24) };
}
