import assert from "node:assert/strict";
import { test } from "node:test";
import { CapMappingError, toAlertInput, type CapMessage } from "../../src/cap/map.js";
import { readArea } from "../../src/geo/geojson.js";

function cap(areas: CapMessage["infos"][number]["areas"]): CapMessage {
  return {
    identifier: "NL-POL-2",
    sender: "meldkamer@politie.nl",
    sent: "2026-12-01T20:00:00+01:00",
    status: "Actual",
    msgType: "Alert",
    scope: "Public",
    references: [],
    infos: [
      {
        language: "nl-NL",
        categories: ["Rescue"],
        event: "Vermissing",
        urgency: "Immediate",
        severity: "Severe",
        parameters: {},
        areas,
      },
    ],
  };
}
const at = new Date("2026-12-01T19:00:00Z");
const west = "52.36,4.88 52.36,4.90 52.38,4.90 52.36,4.88";
const east = "52.36,4.95 52.36,4.97 52.38,4.97 52.36,4.95";

test("CAP areas map onto the API's GeoJSON: one <polygon> a Polygon, several a MultiPolygon", () => {
  const one = toAlertInput(cap([{ polygons: [west], circles: [], geocodes: {} }]), at).input.area;
  assert.deepEqual(one, {
    type: "Polygon",
    coordinates: [
      [
        [4.88, 52.36],
        [4.9, 52.36],
        [4.9, 52.38],
        [4.88, 52.36],
      ],
    ],
  });
  const two = toAlertInput(
    cap([
      { polygons: [west], circles: [], geocodes: {} },
      { polygons: [east], circles: [], geocodes: {} },
    ]),
    at,
  ).input.area;
  assert.equal(two.type, "MultiPolygon");
  assert.ok(readArea(two).ok, "and reads as an API area");
});

test("a circle with a polygon is refused, saying why", () => {
  assert.throws(
    () => toAlertInput(cap([{ polygons: [west], circles: ["52.37,4.89 1"], geocodes: {} }]), at),
    (err) => err instanceof CapMappingError && /not combined/.test(err.message),
  );
});
