import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveArea, type AreaInput } from "../../src/alerts/area.js";
import { reachMeters, refuseEscalationBelow, refuseNotLarger } from "../../src/alerts/widen-area.js";

const dam = { lat: 52.3731, lon: 4.8926 };
const circle = (radiusMeters: number, center = dam) =>
  resolveArea({ type: "circle", center, radiusMeters } as AreaInput);
// A square of about 1.2 km by 1.1 km around the Dam: its corners lie about 800 m from its centre.
const square = (d = 0.005) =>
  resolveArea({
    type: "Polygon",
    coordinates: [
      [
        [dam.lon - d * 1.7, dam.lat - d],
        [dam.lon + d * 1.7, dam.lat - d],
        [dam.lon + d * 1.7, dam.lat + d],
        [dam.lon - d * 1.7, dam.lat + d],
        [dam.lon - d * 1.7, dam.lat - d],
      ],
    ],
  } as AreaInput);
const refused = (fn: () => void, message?: string) =>
  assert.throws(fn, (e: { code?: string }) => e.code === "BN_AREA_NOT_LARGER", message);

test("a widening must hold the current area and be larger than it", () => {
  refuseNotLarger(circle(600), circle(2000));
  refuseNotLarger(square(), circle(1500));
  refuseNotLarger(circle(300), square());
  refuseNotLarger(square(), square(0.01));
  refused(() => refuseNotLarger(circle(600), circle(600)));
  refused(() => refuseNotLarger(circle(600), circle(400)));
  refused(() => refuseNotLarger(circle(600), circle(2000, { lat: dam.lat, lon: dam.lon + 0.03 })));
  refused(() => refuseNotLarger(square(), circle(700)), "a circle that cuts the corners off");
  refused(() => refuseNotLarger(square(), square()));
});

test("an escalation radius must reach past the area, a polygon's corners included", () => {
  const corner = reachMeters(square());
  assert.ok(corner > 750 && corner < 850, `${corner} m`);
  refused(() => refuseEscalationBelow(square(), 700));
  refuseEscalationBelow(square(), 900);
  refused(() => refuseEscalationBelow(circle(1000), 1000));
  refuseEscalationBelow(circle(1000), 1001);
});
