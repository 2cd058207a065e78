import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { bearer, startStack, type Stack } from "../helpers/stack.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";
import { createApiKey } from "../../src/access/keys.js";
import { policeRegion, regionPolygonsNear, unitOfMunicipality } from "../../src/geo/region-fit.js";
import { pointInPolygon } from "../../src/geo/geometry.js";
import { regionAt } from "../../src/geo/boundaries.js";

const groningen = { lat: 53.2194, lon: 6.5665 }; // RE01 Noord-Nederland
const texts = { nl: { voice: "Let op een rode auto.", sms: "Let op een rode auto." } };

let s: Stack;
let re03: string;
// A vertex of the Amsterdam unit's boundary, and citizens 300 m around it on both sides.
const [lon, lat] = policeRegion("RE05")!.polygons[0][0][18]; // on the land border with RE03
const border = { lat, lon };
const around = Array.from({ length: 16 }, (_, i) =>
  offset(border, 300 * Math.cos(((i + 0.5) * Math.PI) / 8), 300 * Math.sin(((i + 0.5) * Math.PI) / 8)),
);
const insideAround = around.filter((p) => regionAt(p.lat, p.lon) === "RE05").length;

before(async () => {
  s = await startStack({ env: { MAX_ALERT_REACH: "12" } });
  re03 = (await createApiKey(s.db, { role: "operator", region: "RE03" })).key;
  await seedParticipants(s.db, [
    ...[0, 1, 2].map((i) => ({ phone: mobile(100 + i), ...offset(groningen, 200 * i) })),
    ...around.map((p, i) => ({ phone: mobile(200 + i), ...p })),
  ]);
});
after(() => s.close());

const post = (url: string, key: string, payload: object) =>
  s.app.inject({ method: "POST", url, headers: bearer(key), payload });
const alertsCount = async () => (await s.db.query("SELECT count(*)::int AS n FROM alerts")).rows[0].n as number;

describe("an operator reaches only their police unit", () => {
  const inGroningen = {
    kind: "vehicle",
    channels: ["voice"],
    texts,
    area: { type: "circle", center: groningen, radiusMeters: 1000 },
  };

  test("an RE03 key cannot preview or create an alert in Groningen (RE01): 403, nothing written, nobody called", async () => {
    const before = await alertsCount();
    for (const url of ["/v1/alerts/preview", "/v1/alerts"]) {
      const res = await post(url, re03, inGroningen);
      assert.equal(res.statusCode, 403, url);
      assert.equal(res.json().error.code, "BN_AREA_OUTSIDE_REGION");
    }
    assert.equal(await alertsCount(), before);
    assert.equal((await s.db.query("SELECT count(*)::int AS n FROM deliveries")).rows[0].n, 0);
    assert.equal(s.emulator.calls().length, 0);
  });

  test("a polygon wholly outside the unit is refused too", async () => {
    const d = 0.01;
    const ring = [
      [groningen.lon - d, groningen.lat - d],
      [groningen.lon + d, groningen.lat - d],
      [groningen.lon + d, groningen.lat + d],
      [groningen.lon - d, groningen.lat - d],
    ];
    const res = await post("/v1/alerts/preview", re03, {
      ...inGroningen,
      area: { type: "Polygon", coordinates: [ring] },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, "BN_AREA_OUTSIDE_REGION");
  });

  test("a municipality belongs to the unit that holds it", async () => {
    const amsterdam = { ...inGroningen, area: { type: "municipality", code: "GM0363" } };
    assert.equal((await post("/v1/alerts/preview", s.keys.operator, amsterdam)).statusCode, 200);
    const res = await post("/v1/alerts/preview", re03, amsterdam);
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, "BN_AREA_OUTSIDE_REGION");
    const groningenCity = await post("/v1/alerts/preview", s.keys.operator, {
      ...inGroningen,
      area: { type: "municipality", code: "GM0014" },
    });
    assert.equal(groningenCity.statusCode, 403);
  });

  test("an admin key may target any unit", async () => {
    const res = await post("/v1/alerts", s.keys.admin, { ...inGroningen, region: "RE01" });
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().targeting.participants, 3);
    await s.emulator.waitFor(() => s.emulator.calls().length >= 3, { timeoutMs: 20_000 });
  });

  test("an area across the boundary targets only the citizens inside the unit; the preview says how many were left out", async () => {
    assert.ok(insideAround > 0 && insideAround < around.length, "the test circle crosses the boundary");
    const area = { type: "circle", center: border, radiusMeters: 600 };
    const preview = await post("/v1/alerts/preview", s.keys.operator, {
      kind: "vehicle",
      channels: ["sms"],
      texts,
      area,
    });
    assert.equal(preview.statusCode, 200);
    const p = preview.json();
    assert.equal(p.participants, insideAround);
    assert.deepEqual(p.unit, { code: "RE05", fit: "crossing", clipped: true, leftOut: around.length - insideAround });
    assert.equal(p.skipped.outside_region, around.length - insideAround);

    const created = await post("/v1/alerts", s.keys.operator, {
      kind: "vehicle",
      channels: ["sms"],
      texts,
      area,
      dispatch: false,
    });
    assert.equal(created.statusCode, 201);
    const id = created.json().id;
    const started = await post(`/v1/alerts/${id}/dispatch`, s.keys.operator, {});
    assert.equal(started.statusCode, 200);
    const phones = (await s.db.query("SELECT phone FROM deliveries WHERE alert_id = $1", [id])).rows.map(
      (r) => r.phone,
    );
    const expected = around
      .map((p, i) => ({ p, phone: mobile(200 + i) }))
      .filter(({ p }) => regionAt(p.lat, p.lon) === "RE05")
      .map((x) => x.phone);
    assert.deepEqual(phones.sort(), expected.sort());
  });
});

describe("a cap on how many one alert may reach", () => {
  const wide = {
    kind: "vehicle",
    channels: ["sms"],
    texts,
    area: { type: "circle", center: groningen, radiusMeters: 1000 },
  };

  test("above the cap the preview says so and creation needs an admin key", async () => {
    await seedParticipants(
      s.db,
      Array.from({ length: 13 }, (_, i) => ({ phone: mobile(300 + i), ...offset(dam, 20 * i) })),
    );
    const body = { ...wide, area: { type: "circle", center: dam, radiusMeters: 600 } };
    const preview = (await post("/v1/alerts/preview", s.keys.operator, body)).json();
    assert.equal(preview.participants, 13);
    assert.deepEqual(preview.reach, { limit: 12, exceeded: true, needsAdminKey: true });

    const before = await alertsCount();
    const refused = await post("/v1/alerts", s.keys.operator, body);
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.code, "BN_REACH_CAP_EXCEEDED");
    assert.equal(await alertsCount(), before, "nothing written");

    const byAdmin = await post("/v1/alerts", s.keys.admin, { ...body, region: "RE05", dispatch: false });
    assert.equal(byAdmin.statusCode, 201);
  });
});

test("each municipality belongs to one unit, also where its border vertices touch the neighbour's", () => {
  const expected: Record<string, string> = {
    GM0363: "RE05", // Amsterdam
    GM0014: "RE01", // Groningen
    GM0171: "RE03", // Noordoostpolder (Flevoland: Midden-Nederland)
    GM0345: "RE03", // Veenendaal
    GM0502: "RE07", // Capelle aan den IJssel
    GM1621: "RE07", // Lansingerland
  };
  for (const [code, unit] of Object.entries(expected)) assert.equal(unitOfMunicipality(code), unit, code);
});

test("the unit's polygons cut to the area's box give the same answer for every point in the box", () => {
  for (const code of ["RE02", "RE05", "RE08"]) {
    const region = policeRegion(code)!;
    const largest = region.polygons.reduce((a, b) => (b[0].length > a[0].length ? b : a));
    const [lon, lat] = largest[0][5];
    const box = { minLon: lon - 0.1, maxLon: lon + 0.1, minLat: lat - 0.06, maxLat: lat + 0.06 };
    const near = regionPolygonsNear(region, box);
    const edges = (polygons: typeof near) => polygons.flat().reduce((n, ring) => n + ring.length, 0);
    assert.ok(edges(near) < edges(region.polygons), code);
    for (let i = 0; i < 2000; i++) {
      const p: [number, number] = [box.minLon + ((i * 0.618) % 1) * 0.2, box.minLat + ((i * 0.377) % 1) * 0.12];
      const whole = region.polygons.some((rings) => pointInPolygon(p, rings));
      const cut = near.some((rings) => pointInPolygon(p, rings));
      assert.equal(cut, whole, `${code} ${p}`);
    }
  }
});
