import type { Db } from "../db/db.js";
import { pc4Table, pc4sOfPlace, type Pc4 } from "../geo/pc4.js";

/** mulberry32: the same seed gives the same people in the same places. */
export function rng(seed: number) {
  let a = seed >>> 0 || 1;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Town {
  name: string;
  region: string;
  center: { lat: number; lon: number };
  pc4s: Pc4[];
}

export function findTown(name: string): Town {
  const pc4s = pc4sOfPlace(name);
  if (!pc4s.length)
    throw new Error(`No postcodes found for town "${name}" (try Amersfoort, Utrecht, Zwolle, Groningen, Amsterdam)`);
  const center = {
    lat: pc4s.reduce((s, p) => s + p.lat, 0) / pc4s.length,
    lon: pc4s.reduce((s, p) => s + p.lon, 0) / pc4s.length,
  };
  const regions = new Map<string, number>();
  for (const p of pc4s) regions.set(p.region, (regions.get(p.region) ?? 0) + 1);
  const region = [...regions.entries()].sort((a, b) => b[1] - a[1])[0][0];
  return { name, region, center, pc4s };
}

/**
 * Synthetic participants (no names: participants need none): half in the town's postcodes, half anywhere in the
 * country, on PC4 centroids with a few hundred metres of jitter. Phone numbers follow from the seed, so a rerun
 * with the same seed adds nobody twice.
 */
export async function seedParticipants(db: Db, town: Town, count: number, seed: number): Promise<number> {
  const rand = rng(seed);
  const all = [...pc4Table().values()];
  const rows = {
    phone: [] as string[],
    type: [] as string[],
    lang: [] as string[],
    channels: [] as string[],
    lat: [] as number[],
    lon: [] as number[],
    pc: [] as string[],
  };
  for (let i = 0; i < count; i++) {
    const home = rand() < 0.5 ? town.pc4s[Math.floor(rand() * town.pc4s.length)] : all[Math.floor(rand() * all.length)];
    const c = rand();
    const channels = c < 0.6 ? "{voice,sms}" : c < 0.85 ? "{sms}" : "{voice}";
    const landline = channels === "{voice}" && rand() < 0.3;
    rows.phone.push(
      landline
        ? `+3133${String(4_000_000 + seed * 10_000 + i).slice(-7)}`
        : `+316${String(20_000_000 + seed * 100_000 + i).slice(-8)}`,
    );
    rows.type.push(landline ? "fixed" : "mobile");
    rows.lang.push(rand() < 0.05 ? "en" : "nl");
    rows.channels.push(channels);
    rows.lat.push(home.lat + (rand() - 0.5) * 0.012);
    rows.lon.push(home.lon + (rand() - 0.5) * 0.018);
    rows.pc.push(home.pc4);
  }
  return db.withTransaction(async (tx) => {
    const inserted = await tx.query<{ id: string; phone: string }>(
      `INSERT INTO participants (phone, phone_type, language, channels, status, verified_at)
       SELECT phone, type, lang, channels::text[], 'active', now()
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(phone, type, lang, channels)
        WHERE NOT EXISTS (SELECT 1 FROM participants p WHERE p.phone = t.phone AND p.status = 'active')
       RETURNING id, phone`,
      [rows.phone, rows.type, rows.lang, rows.channels],
    );
    const index = new Map(rows.phone.map((p, i) => [p, i]));
    const ids = inserted.rows.map((r) => r.id);
    const at = inserted.rows.map((r) => index.get(r.phone)!);
    await tx.query(
      `INSERT INTO participant_locations (participant_id, kind, postcode, lat, lon, source)
       SELECT id, 'home', pc, lat, lon, 'pc4'
         FROM unnest($1::uuid[], $2::text[], $3::float8[], $4::float8[]) AS t(id, pc, lat, lon)`,
      [ids, at.map((i) => rows.pc[i]), at.map((i) => rows.lat[i]), at.map((i) => rows.lon[i])],
    );
    return ids.length;
  });
}
