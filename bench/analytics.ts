import { createAnalytics } from "../src/analytics/service.js";
import { GROUP_BY } from "../src/analytics/queries.js";
import { createSchema } from "./lib/database.js";
import { median } from "./lib/stats.js";
import { metric, type BenchContext, type Metric, type Scenario } from "./lib/types.js";

const ALERTS = Number(process.env.BENCH_ANALYTICS_ALERTS ?? 24_000);
const PER_ALERT = Number(process.env.BENCH_ANALYTICS_DELIVERIES ?? 100);
const RUNS = 5;
// The year up to now: all but the last hour's alerts have ended and are rolled up on first read.
const YEAR_END = new Date();
const YEAR_START = new Date(YEAR_END.getTime() - 365 * 86_400_000).toISOString();

/**
 * A year of national alerts in one statement each, generated inside PostgreSQL: ALERTS alerts over the ten units,
 * PER_ALERT deliveries each (voice and SMS, final statuses in fixed shares; every other alert asked "are you nearby
 * now?", a seventh of its deliveries answered near), the carrier's price of every call and SMS (carrier_prices, by
 * SID), 4 tips and one put-through per alert.
 */
export async function seedYear(db: import("../src/db/db.js").Db) {
  await db.query(
    `INSERT INTO alerts (region_code, kind, priority, status, texts, area, center_lat, center_lon, channels,
                         expires_at, outcome, created_at, closed_at, presence_check)
     SELECT 'RE' || lpad((1 + g % 10)::text, 2, '0'),
            (ARRAY['suspect','vehicle','missing_person','missing_child','other'])[1 + g % 5], 'normal', 'closed',
            '{"nl":{"voice":"x","sms":"x"}}', '{"type":"circle"}', 52.37, 4.89, ARRAY['voice','sms'],
            t + interval '2 hours', (ARRAY['found','not_found','other'])[1 + g % 3], t, t + interval '1 hour',
            g % 2 = 0
       FROM generate_series(0, $1::int - 1) g, LATERAL (SELECT $2::timestamptz + g * (interval '365 days' / $1) AS t) x`,
    [ALERTS, YEAR_START],
  );
  await db.query(
    `INSERT INTO deliveries (alert_id, participant_id, phone, channel, purpose, language, rank, distance_m, status,
                             attempts, answered_at, provider_sid, presence)
     SELECT a.id, gen_random_uuid(), '+3161' || lpad(i::text, 7, '0'), CASE WHEN i % 3 = 0 THEN 'sms' ELSE 'voice' END,
            'alert', CASE WHEN i % 10 = 0 THEN 'en' ELSE 'nl' END, i, i * 10,
            CASE WHEN i % 3 = 0 THEN (ARRAY['delivered','delivered','undelivered'])[1 + i % 3]
                 ELSE (ARRAY['answered','answered','voicemail','no_answer','busy','failed'])[1 + i % 6] END,
            1, a.created_at + i * interval '1 second', 'CA' || replace(a.id::text, '-', '') || i,
            CASE WHEN a.presence_check AND i % 7 = 0 THEN 'near' WHEN a.presence_check AND i % 7 = 1 THEN 'away' END
       FROM alerts a, generate_series(1, $1::int) i`,
    [PER_ALERT],
  );
  await db.query(
    `INSERT INTO carrier_prices (sid, alert_id, region_code, channel, purpose, price, price_unit, price_eur, asked,
                                 priced_at)
     SELECT d.provider_sid, d.alert_id, a.region_code, d.channel, d.purpose, p.usd, 'USD', p.usd * 0.92, 1,
            a.closed_at
       FROM deliveries d JOIN alerts a ON a.id = d.alert_id,
            LATERAL (SELECT CASE WHEN d.channel = 'sms' THEN 0.0842 ELSE 0.0265 + (d.rank % 4) * 0.0113 END AS usd) p`,
  );
  await db.query(
    `INSERT INTO sightings (alert_id, region_code, source, transcript, created_at)
     SELECT a.id, a.region_code, (ARRAY['voice','sms','inbound','voice'])[j], 'gezien', a.created_at + j * interval '47 s'
       FROM alerts a, generate_series(1, 4) j`,
  );
  await db.query(
    `INSERT INTO events (type, region_code, alert_id, data, created_at)
     SELECT 'call.connected', region_code, id, '{}', created_at + interval '2 minutes' FROM alerts`,
  );
  for (const table of ["alerts", "deliveries", "carrier_prices", "sightings", "events"])
    await db.query(`ANALYZE ${table}`);
}

export const analytics: Scenario = {
  name: "analytics",
  title: `GET /v1/analytics over a year of national alerts (${ALERTS.toLocaleString("en")} alerts)`,
  async run(ctx: BenchContext) {
    const schema = await createSchema(ctx.database, "analytics");
    try {
      const t0 = performance.now();
      await seedYear(schema.db);
      ctx.log(`seeded ${ALERTS} alerts × ${PER_ALERT} deliveries in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const service = createAnalytics({ db: schema.db });
      const admin = { keyId: "bench", role: "admin" as const, region: null };
      const operator = { keyId: "bench", role: "operator" as const, region: "RE05" };
      const query = { from: YEAR_START, to: YEAR_END.toISOString() };
      const metrics: Metric[] = [];
      // The first read of a year rolls the ended alerts up (alert_figures), once per dimension.
      for (const groupBy of ["unit", "channel", "language"] as const) {
        const started = performance.now();
        await service.figures({ ...query, groupBy }, admin);
        metrics.push(
          metric(`admin, first read by ${groupBy} (rolls up the year)`, performance.now() - started, "ms", {
            digits: 0,
            detail: "once per dimension (alert, channel, language)",
          }),
        );
      }
      for (const [who, principal] of [
        ["admin", admin],
        ["operator RE05", operator],
      ] as const) {
        for (const groupBy of GROUP_BY) {
          const times: number[] = [];
          let alerts = 0;
          let eur: number | null = null;
          let eyes: number | null = null;
          for (let i = 0; i < RUNS; i++) {
            const started = performance.now();
            const answer = await service.figures({ ...query, groupBy }, principal);
            times.push(performance.now() - started);
            alerts = answer.totals.reduce((n, t) => n + t.alerts, 0);
            eur = answer.totals[0]?.costEur ?? null;
            eyes = answer.totals[0]?.eyesInArea ?? null;
          }
          metrics.push(
            metric(`${who}, a year by ${groupBy} (median of ${RUNS})`, median(times), "ms", {
              digits: 0,
              target: { op: "<", value: 500, text: "< 500 ms" },
              detail: `${alerts} alerts counted, € ${eur} charged, ${eyes} eyes in the area`,
            }),
          );
        }
      }
      return {
        metrics,
        notes: [
          `${ALERTS} alerts, ${(ALERTS * PER_ALERT).toLocaleString("en")} deliveries and as many carrier prices, ` +
            `${ALERTS * 4} tips, ` +
            `${ALERTS} put-throughs (BENCH_ANALYTICS_ALERTS, BENCH_ANALYTICS_DELIVERIES); groups and totals per answer.`,
        ],
      };
    } finally {
      await schema.drop();
    }
  },
};
