import type { Principal } from "../access/keys.js";
import { Errors, withDetails } from "../errors.js";
import type { UnitScope } from "./area.js";
import type { TargetingCounts } from "./targeting.js";

/** What the preview and the alert's targeting say about the police unit: its fit, and who was left out. */
export function unitFigures(t: { scope?: UnitScope }, region: string, counts: TargetingCounts) {
  return {
    code: region,
    fit: t.scope?.fit ?? "any_unit",
    clipped: t.scope?.clip !== undefined,
    leftOut: counts.skipped.outside_region,
  };
}

/** MAX_ALERT_REACH: how many one alert may reach without an admin key. */
export function reach(counts: TargetingCounts, principal: Principal, limit: number) {
  const exceeded = counts.participants > limit;
  return { limit, exceeded, needsAdminKey: exceeded && principal.role !== "admin" };
}

export function refuseOverCap(counts: TargetingCounts, principal: Principal, limit: number) {
  if (!reach(counts, principal, limit).needsAdminKey) return;
  throw withDetails(
    new Errors.ReachCapExceeded(
      `This alert would reach ${counts.participants} people; above ${limit} it needs an admin key`,
    ),
    { participants: counts.participants, limit },
  );
}
