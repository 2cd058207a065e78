// The soak's figures: a sample a minute of the service's memory and the database's size, the slope of a series,
// and a percentile read from a Prometheus histogram.
import type { Db } from "../../src/db/db.js";

export interface MinuteSample {
  minute: number;
  rssMb: number;
  heapUsedMb: number;
  dbMb: number;
  calls: number;
}

/** Least-squares slope of y over x. */
export function slope(all: readonly { x: number; y: number }[]): number {
  // A sample the monitor could not read (NaN) is left out, not allowed to spoil the line.
  const points = all.filter((p) => Number.isFinite(p.y));
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den ? num / den : NaN;
}

/** Size of every table and index of the schema, MB. */
export async function schemaSizeMb(db: Pick<Db, "query">, schema: string): Promise<number> {
  const { bytes } = (
    await db.query<{ bytes: string }>(
      `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS bytes FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'm')`,
      [schema],
    )
  ).rows[0];
  return Number(bytes) / 2 ** 20;
}

/**
 * The p-th percentile (0..1) of the service's Twilio webhook answers, from burgernet_http_request_duration_seconds:
 * the upper bound of the bucket it falls in (ms), over every /twilio/ route together.
 */
export function twilioLatencyPercentile(metricsText: string, p: number): { ms: number; count: number } {
  const buckets = new Map<number, number>();
  for (const m of metricsText.matchAll(
    /^burgernet_http_request_duration_seconds_bucket\{([^}]*)\} (\d+(?:\.\d+)?)$/gm,
  )) {
    if (!/route="\/twilio\//.test(m[1])) continue;
    const le = /le="([^"]+)"/.exec(m[1])?.[1];
    if (!le) continue;
    const bound = le === "+Inf" ? Infinity : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(m[2]));
  }
  const sorted = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
  const count = sorted.length ? sorted[sorted.length - 1][1] : 0;
  const want = p * count;
  const hit = sorted.find(([, n]) => n >= want);
  return { ms: hit ? hit[0] * 1000 : NaN, count };
}
