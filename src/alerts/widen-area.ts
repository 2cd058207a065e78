import { Errors, withDetails } from "../errors.js";
import { haversineMeters, pointInPolygon, type Position } from "../geo/geometry.js";
import { circleRing } from "../geo/region-fit.js";
import type { ResolvedArea } from "./area.js";

/** Points along an area's outline: its polygons' outer rings, or a circle's ring. */
function outline(area: ResolvedArea): Position[] {
  if (area.polygons) return area.polygons.flatMap((rings) => rings[0]);
  return circleRing(area.center, area.radiusMeters!, 64);
}

function contains(area: ResolvedArea, [lon, lat]: Position): boolean {
  if (area.radiusMeters !== undefined)
    // A metre of slack: the same circle given again, or one grown by a metre, is not refused for rounding.
    return haversineMeters(area.center.lat, area.center.lon, lat, lon) <= area.radiusMeters + 1;
  return area.polygons!.some((rings) => pointInPolygon([lon, lat], rings));
}

/** The farthest point of an area's outline from `center`: the radius of the smallest circle there that holds it. */
export function reachMeters(area: ResolvedArea, center = area.center): number {
  if (area.radiusMeters !== undefined && center === area.center) return area.radiusMeters;
  return Math.max(...outline(area).map(([lon, lat]) => haversineMeters(center.lat, center.lon, lat, lon)));
}

/**
 * A widening must hold the current area and be larger than it: every point of the current outline inside the new
 * area, and the new one not the same. Refused (422) otherwise, before anything is read or written.
 */
export function refuseNotLarger(current: ResolvedArea, next: ResolvedArea) {
  const outside = outline(current).find((p) => !contains(next, p));
  if (outside)
    throw withDetails(
      new Errors.AreaNotLarger(
        `The new area must hold the current one; ${JSON.stringify(outside.map((v) => +v.toFixed(6)))} lies outside it`,
      ),
      { path: next.path },
    );
  if (reachMeters(next, current.center) <= reachMeters(current) + 1)
    throw withDetails(new Errors.AreaNotLarger("The new area is no larger than the current one"), { path: next.path });
}

/** An escalation radius must reach beyond the area it grows from (a polygon: every corner of it). */
export function refuseEscalationBelow(area: ResolvedArea, radiusMeters: number) {
  const current = Math.ceil(reachMeters(area));
  if (radiusMeters <= current)
    throw withDetails(
      new Errors.AreaNotLarger(
        `The escalation radius ${radiusMeters} m must be larger than the current area (${current} m from its centre)`,
      ),
      { path: "body/escalation/radiusMeters", currentMeters: current },
    );
}
