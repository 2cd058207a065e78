import type { Queryable } from "../../src/db/db.js";
import type { Language } from "../../src/languages/languages.js";

export interface SeedParticipant {
  phone: string;
  lat: number;
  lon: number;
  channels?: string[];
  language?: Language;
  phoneType?: "mobile" | "fixed";
  status?: "active" | "pending" | "unsubscribed";
  kind?: "home" | "work";
  window?: { days: number; from: string; to: string };
  extra?: { lat: number; lon: number; kind: "home" | "work" }[];
}

/** Active participants straight into the tables (registration itself is tested through the API). */
export async function seedParticipants(db: Queryable, list: SeedParticipant[]): Promise<string[]> {
  const ids: string[] = [];
  for (const p of list) {
    const { id } = (
      await db.query<{ id: string }>(
        `INSERT INTO participants (phone, phone_type, language, channels, status, verified_at)
       VALUES ($1, $2, $3, $4, $5, now()) RETURNING id`,
        [
          p.phone,
          p.phoneType ?? (p.phone.startsWith("+316") ? "mobile" : "fixed"),
          p.language ?? "nl",
          p.channels ?? ["voice", "sms"],
          p.status ?? "active",
        ],
      )
    ).rows[0];
    const locations = [{ lat: p.lat, lon: p.lon, kind: p.kind ?? "home" }, ...(p.extra ?? [])];
    for (const l of locations) {
      await db.query(
        `INSERT INTO participant_locations (participant_id, kind, postcode, lat, lon, source,
          window_days, window_from, window_to)
         VALUES ($1, $2, '1011', $3, $4, 'exact', $5, $6, $7)`,
        [id, l.kind, l.lat, l.lon, p.window?.days ?? null, p.window?.from ?? null, p.window?.to ?? null],
      );
    }
    ids.push(id);
  }
  return ids;
}

/** A point `meters` east and `northMeters` north of a centre: good enough at Dutch latitudes. */
export function offset(center: { lat: number; lon: number }, eastMeters: number, northMeters = 0) {
  return {
    lat: center.lat + northMeters / 111_320,
    lon: center.lon + eastMeters / (111_320 * Math.cos((center.lat * Math.PI) / 180)),
  };
}

export const dam = { lat: 52.3731, lon: 4.8926 };

export function mobile(i: number) {
  return `+3161${String(i).padStart(7, "0")}`;
}
