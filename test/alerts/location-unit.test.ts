import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTestDb } from "../helpers/db.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";
import { migrate } from "../../src/db/migrate.js";
import { countTargets } from "../../src/alerts/targeting.js";
import { resolveArea, scopeToUnit } from "../../src/alerts/area.js";
import { policeRegion } from "../../src/geo/region-fit.js";
import { regionAt } from "../../src/geo/boundaries.js";

let db: Awaited<ReturnType<typeof createTestDb>>;
// Citizens 300 m around a vertex of the Amsterdam unit's (RE05) land border with Midden-Nederland (RE03).
const [lon, lat] = policeRegion("RE05")!.polygons[0][0][18];
const border = { lat, lon };
const around = Array.from({ length: 24 }, (_, i) =>
  offset(border, 300 * Math.cos(((i + 0.5) * Math.PI) / 12), 300 * Math.sin(((i + 0.5) * Math.PI) / 12)),
);
const groningen = { lat: 53.2194, lon: 6.5665 };

before(async () => {
  db = await createTestDb();
  await seedParticipants(db, [
    ...around.map((p, i) => ({ phone: mobile(100 + i), ...p })),
    { phone: mobile(200), ...dam },
    { phone: mobile(201), ...groningen },
  ]);
});
after(() => db.drop());

const unitOf = async (phone: string) =>
  (
    await db.query<{ unit: string | null }>(
      "SELECT l.unit FROM participant_locations l JOIN participants p ON p.id = l.participant_id WHERE p.phone = $1",
      [phone],
    )
  ).rows[0].unit;

const crossing = () => {
  const area = resolveArea({ type: "circle", center: border, radiusMeters: 600 });
  const scope = scopeToUnit(area, "RE05");
  assert.equal(scope.fit, "crossing");
  return { area, channels: ["sms"], quiet: false, at: new Date("2026-12-07T12:00:00Z"), clip: scope.clip };
};

describe("every location knows its police unit", () => {
  test("a registration's location gets the unit it lies in, as the boundaries say", async () => {
    assert.equal(await unitOf(mobile(200)), "RE05");
    assert.equal(await unitOf(mobile(201)), "RE01");
    // Where the two units' simplified boundaries overlap (a sliver here), a location has no unit of its own.
    const units = await Promise.all(around.map((_, i) => unitOf(mobile(100 + i))));
    for (const [i, p] of around.entries()) assert.ok([regionAt(p.lat, p.lon), null].includes(units[i]), `#${i}`);
    assert.ok(units.filter((u) => u === null).length <= 2, units.join());
  });

  test("a move takes the location's unit with it", async () => {
    await db.query(
      `UPDATE participant_locations SET lat = $2, lon = $3
        WHERE participant_id = (SELECT id FROM participants WHERE phone = $1)`,
      [mobile(201), dam.lat, dam.lon],
    );
    assert.equal(await unitOf(mobile(201)), "RE05");
    await db.query(
      `UPDATE participant_locations SET lat = $2, lon = $3
        WHERE participant_id = (SELECT id FROM participants WHERE phone = $1)`,
      [mobile(201), groningen.lat, groningen.lon],
    );
    assert.equal(await unitOf(mobile(201)), "RE01");
  });

  test("an area across the boundary selects by the stored unit, and the same citizens as the polygons do", async () => {
    const byUnit = await countTargets(db, crossing());
    const inside = byUnit.participants;
    assert.ok(inside > 0 && inside < around.length, "the circle crosses the boundary");
    assert.ok(Math.abs(inside - around.filter((p) => regionAt(p.lat, p.lon) === "RE05").length) <= 1);
    assert.equal(byUnit.skipped.outside_region, around.length - inside);

    // Locations without a unit (loaded with triggers off, or on two units' boundaries) are tested against the polygons.
    await db.query("UPDATE participant_locations SET unit = NULL");
    const byPolygons = await countTargets(db, crossing());
    assert.deepEqual(byPolygons, byUnit);

    // The unit is what is read: a location said to be in RE03 is left out of an RE05 alert, wherever it lies.
    await db.query("UPDATE participant_locations SET unit = 'RE03'");
    const wrongUnit = await countTargets(db, crossing());
    assert.equal(wrongUnit.participants, 0);
    assert.equal(wrongUnit.skipped.outside_region, around.length);
  });

  test("new boundaries, or units lost, are found again at the next start; unchanged ones rewrite nothing", async () => {
    await db.query("UPDATE police_unit_source SET fingerprint = 'boundaries of an earlier year'");
    await db.query("UPDATE participant_locations SET unit = 'RE10'");
    await migrate(db);
    assert.equal(await unitOf(mobile(200)), "RE05");
    assert.equal(await unitOf(mobile(201)), "RE01");

    await db.query("UPDATE participant_locations SET unit = 'RE10'");
    await migrate(db);
    assert.equal(await unitOf(mobile(200)), "RE10", "the same boundaries: the locations are not read again");
    await db.query("UPDATE participant_locations SET unit = unit_at(lon, lat)");
  });

  test("a point outside every unit (the North Sea) has none", async () => {
    const res = await db.query<{ unit: string | null }>("SELECT unit_at(4.0, 52.8) AS unit");
    assert.equal(res.rows[0].unit, null);
  });
});
