import { createHash } from "node:crypto";
import type { Queryable } from "../db/db.js";
import { policeRegions } from "../geo/boundaries.js";
import { bbox, pgPolygon } from "../geo/geometry.js";

/**
 * Loads the police units' boundaries the service ships with into police_unit_parts (sql/028), where the database
 * gives every location its unit. Runs after the migrations, under their lock. When the file changed (or on the
 * first start), every location's unit is found again in the same transaction: among 3,000,000 participants that is
 * a one-off rewrite of the locations at that start (141 s for 3.6 M locations in the bench's bulk load, longer with
 * the indexes in place), after which targeting compares units.
 */
export async function syncUnitBoundaries(session: Queryable): Promise<"unchanged" | "loaded"> {
  const regions = policeRegions();
  const fingerprint = createHash("sha256").update(JSON.stringify(regions)).digest("hex");
  const current = await session.query<{ fingerprint: string }>("SELECT fingerprint FROM police_unit_source");
  if (current.rows[0]?.fingerprint === fingerprint) return "unchanged";
  const parts = regions.flatMap((r) => r.polygons.map(([outline, ...holes]) => ({ code: r.code, outline, holes })));
  await session.query("BEGIN");
  try {
    await session.query("DELETE FROM police_unit_parts");
    await session.query(
      `INSERT INTO police_unit_parts (code, part, box, outline, holes)
       SELECT code, part, box(point(min_lon, min_lat), point(max_lon, max_lat)), outline::polygon, holes::polygon[]
         FROM unnest($1::text[], $2::int[], $3::float8[], $4::float8[], $5::float8[], $6::float8[],
                     $7::text[], $8::text[]) AS t(code, part, min_lon, min_lat, max_lon, max_lat, outline, holes)`,
      [
        parts.map((p) => p.code),
        parts.map((_, i) => i),
        ...(["minLon", "minLat", "maxLon", "maxLat"] as const).map((k) => parts.map((p) => bbox(p.outline)[k])),
        parts.map((p) => pgPolygon(p.outline)),
        parts.map((p) => `{${p.holes.map((h) => `"${pgPolygon(h)}"`).join(",")}}`),
      ],
    );
    await session.query(
      `INSERT INTO police_unit_source (fingerprint) VALUES ($1)
       ON CONFLICT (only_row) DO UPDATE SET fingerprint = EXCLUDED.fingerprint`,
      [fingerprint],
    );
    await session.query(
      "UPDATE participant_locations SET unit = unit_at(lon, lat) WHERE unit IS DISTINCT FROM unit_at(lon, lat)",
    );
    await session.query("COMMIT");
  } catch (err) {
    await session.query("ROLLBACK");
    throw err;
  }
  return "loaded";
}
