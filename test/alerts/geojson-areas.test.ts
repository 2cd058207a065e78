import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { bearer, startStack, type Stack } from "../helpers/stack.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";
import { policeRegion } from "../../src/geo/region-fit.js";
import { regionAt } from "../../src/geo/boundaries.js";
import { ringArea2, type Ring } from "../../src/geo/geometry.js";

const texts = { nl: { voice: "Let op een rode auto.", sms: "Let op een rode auto." } };

let s: Stack;
before(async () => {
  s = await startStack({ dispatch: { autoStart: false } });
});
after(() => s.close());

/** A square of 2 × half metres around a centre, counter-clockwise (or clockwise), closed. */
function square(center: { lat: number; lon: number }, half: number, clockwise = false): Ring {
  const ring: Ring = [
    [-half, -half],
    [half, -half],
    [half, half],
    [-half, half],
    [-half, -half],
  ].map(([e, n]) => {
    const p = offset(center, e, n);
    return [p.lon, p.lat];
  });
  return clockwise ? ring.reverse() : ring;
}

const post = (url: string, area: unknown, extra: object = {}) =>
  s.app.inject({
    method: "POST",
    url,
    headers: bearer(s.keys.operator), // RE05, Amsterdam
    payload: { kind: "vehicle", channels: ["sms"], texts, area, ...extra },
  });

async function reached(area: unknown): Promise<string[]> {
  const res = await post("/v1/alerts", area);
  assert.equal(res.statusCode, 201, res.body);
  const rows = (await s.db.query("SELECT phone FROM deliveries WHERE alert_id = $1", [res.json().id])).rows;
  return rows.map((r) => r.phone as string).sort();
}

describe("a GeoJSON area as map tools export it", () => {
  test("a geojson.io Feature (clockwise, with altitudes and a bbox) is accepted and answered as an RFC 7946 Polygon", async () => {
    const ring = square(dam, 500, true).map(([lon, lat]) => [lon, lat, 0]);
    const feature = {
      type: "Feature",
      properties: { name: "Dam" },
      bbox: [4.8, 52.3, 4.9, 52.4],
      geometry: { type: "Polygon", coordinates: [ring] },
    };
    const preview = await post("/v1/alerts/preview", feature);
    assert.equal(preview.statusCode, 200, preview.body);
    const created = await post("/v1/alerts", feature, { dispatch: false });
    assert.equal(created.statusCode, 201, created.body);
    const area = (
      await s.app.inject({ url: `/v1/alerts/${created.json().id}`, headers: bearer(s.keys.operator) })
    ).json().area;
    assert.equal(area.type, "Polygon");
    assert.equal(area.coordinates[0].length, 5);
    assert.ok(
      area.coordinates[0].every((p: number[]) => p.length === 2),
      "altitudes dropped",
    );
    assert.ok(ringArea2(area.coordinates[0]) > 0, "the outline is kept counter-clockwise");
  });

  test("the old lowercase polygon is still accepted, and answered as a GeoJSON Polygon", async () => {
    const created = await post("/v1/alerts", { type: "polygon", coordinates: [square(dam, 500)] }, { dispatch: false });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().area.type, "Polygon");
  });
});

describe("holes and parts are targeted", () => {
  const centre = offset(dam, 0, -3000);
  const inHole = [offset(centre, 0), offset(centre, 200, 100)];
  const inRing = [offset(centre, 700), offset(centre, 0, -700), offset(centre, -800, 800)];
  const outside = [offset(centre, 1500)];
  const far = offset(dam, 5000, 2000);
  const between = offset(dam, 2500, 1000);
  before(() =>
    seedParticipants(s.db, [
      ...[...inHole, ...inRing, ...outside].map((p, i) => ({ phone: mobile(500 + i), ...p })),
      { phone: mobile(520), ...offset(dam, 100) },
      { phone: mobile(521), ...offset(far, -100) },
      { phone: mobile(522), ...between },
    ]),
  );
  const ringShaped = { type: "Polygon", coordinates: [square(centre, 1000), square(centre, 400, true)] };

  test("a ring-shaped area: everyone in the ring is reached, nobody inside the hole", async () => {
    const preview = await post("/v1/alerts/preview", ringShaped);
    assert.equal(preview.json().participants, inRing.length);
    const ringPhones = inRing.map((_, i) => mobile(500 + inHole.length + i)).sort();
    assert.deepEqual(await reached(ringShaped), ringPhones);
  });

  test("a MultiPolygon of two separate parts reaches both, and not what lies between them", async () => {
    const two = { type: "MultiPolygon", coordinates: [[square(dam, 300)], [square(far, 300)]] };
    assert.equal((await post("/v1/alerts/preview", two)).json().participants, 2);
    assert.deepEqual(await reached(two), [mobile(520), mobile(521)]);
  });
});

describe("a MultiPolygon against the operator's unit", () => {
  const [lon, lat] = policeRegion("RE05")!.polygons[0][0][18]; // on the land border with RE03
  const border = { lat, lon };
  const around = Array.from({ length: 8 }, (_, i) => offset(border, 250 * Math.cos(i + 0.3), 250 * Math.sin(i + 0.3)));
  const inUnit = around.filter((p) => regionAt(p.lat, p.lon) === "RE05").length;
  before(() =>
    seedParticipants(
      s.db,
      around.map((p, i) => ({ phone: mobile(600 + i), ...p })),
    ),
  );

  test("a part across the boundary is clipped to the unit; a part inside is targeted whole", async () => {
    assert.ok(inUnit > 0 && inUnit < around.length, "the part crosses the boundary");
    const area = { type: "MultiPolygon", coordinates: [[square(border, 400)], [square(dam, 300)]] };
    const p = (await post("/v1/alerts/preview", area)).json();
    assert.deepEqual(p.unit, { code: "RE05", fit: "crossing", clipped: true, leftOut: around.length - inUnit });
    assert.equal(p.participants, inUnit + 1); // and the one near the Dam
  });

  test("a part wholly outside the unit is refused, saying which", async () => {
    const groningen = { lat: 53.2194, lon: 6.5665 };
    const res = await post("/v1/alerts/preview", {
      type: "Feature",
      geometry: { type: "MultiPolygon", coordinates: [[square(dam, 300)], [square(groningen, 300)]] },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, "BN_AREA_OUTSIDE_REGION");
    assert.equal(res.json().error.message, "MultiPolygon part 1 lies outside RE05");
    assert.equal(res.json().error.details.path, "body/area/geometry/coordinates/1");
  });
});

describe("a bad area says what is wrong and where, once", () => {
  test("a position that is not [lon, lat]: 400 with one detail at its path", async () => {
    const ring: unknown[] = square(dam, 500);
    ring[2] = [4.9];
    const res = await post("/v1/alerts/preview", { type: "Polygon", coordinates: [ring] });
    assert.equal(res.statusCode, 400);
    const { code, details } = res.json().error;
    assert.equal(code, "BN_VALIDATION");
    assert.deepEqual(
      details.map((d: { path: string }) => d.path),
      ["body/area/coordinates/0/2"],
    );
    assert.match(details[0].message, /^ring 0 position 2 is not \[lon, lat\]/);
  });

  test("a ring that crosses itself: 422 naming the positions", async () => {
    const [a, b, c, d] = square(dam, 500);
    const res = await post("/v1/alerts", { type: "Polygon", coordinates: [[a, c, b, d, a]] });
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().error.code, "BN_INVALID_AREA");
    assert.equal(res.json().error.message, "Ring 0 crosses itself between positions 0 and 2");
    assert.equal(res.json().error.details.path, "body/area/coordinates/0/0");
  });

  test("[lat, lon] instead of [lon, lat] is named as such", async () => {
    const swapped = square(dam, 500).map(([lon, lat]) => [lat, lon]);
    const res = await post("/v1/alerts/preview", { type: "Polygon", coordinates: [swapped] });
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().error.code, "BN_OUTSIDE_NETHERLANDS");
    assert.match(res.json().error.message, /look like \[lat, lon\]/);
  });
});
