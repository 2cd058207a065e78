import { createApiKey } from "../../src/access/keys.js";
import type { Db } from "../../src/db/db.js";

/**
 * `n` active voice participants with a home spread evenly over a circle, generated inside PostgreSQL (one statement,
 * no client round trips). Mobile numbers +316 3xxxxxxx, unique within the schema.
 */
export async function seedCircle(
  db: Db,
  {
    n,
    center,
    radiusM,
    first = 1,
  }: { n: number; center: { lat: number; lon: number }; radiusM: number; /** first phone's serial */ first?: number },
) {
  await db.query(
    `WITH p AS (
       INSERT INTO participants (phone, phone_type, language, channels, status, verified_at)
       SELECT '+3163' || lpad(g::text, 7, '0'), 'mobile', 'nl', '{voice}', 'active', now() FROM generate_series($5::int, $5::int + $1::int - 1) g
       RETURNING id)
     INSERT INTO participant_locations (participant_id, kind, postcode, lat, lon, source)
     SELECT id, 'home', '1012', $2::float8 + r * sin(a) / 111320, $3::float8 + r * cos(a) / (111320 * cos(radians($2::float8))), 'exact'
       FROM (SELECT id, $4::float8 * sqrt(random()) AS r, 2 * pi() * random() AS a FROM p) s`,
    [n, center.lat, center.lon, radiusM, first],
  );
  await db.query("ANALYZE participants");
  await db.query("ANALYZE participant_locations");
}

export async function operatorKey(db: Db, region = "RE05"): Promise<string> {
  return (await createApiKey(db, { role: "operator", region })).key;
}

/** Creates an alert through the service's API as an operator does; returns its id and when the request was sent. */
export async function createAlert(
  serviceUrl: string,
  key: string,
  body: object,
): Promise<{ id: string; sentAt: number; answeredAt: number }> {
  const sentAt = Date.now();
  const res = await fetch(`${serviceUrl}/v1/alerts`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answeredAt = Date.now();
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST /v1/alerts answered ${res.status}: ${text.slice(0, 500)}`);
  return { id: (JSON.parse(text) as { id: string }).id, sentAt, answeredAt };
}
