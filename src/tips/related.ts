import { haversineMeters } from "../geo/geometry.js";

/**
 * When two tips of one alert are about the same thing. Either names the same licence plate, or the same vehicle or
 * clothing descriptor (lexicon.ts), or the callers' targeted locations lie within NEAR_METRES of each other and
 * the tips came within NEAR_MINUTES: two neighbours ringing in about the same scene.
 */
export const NEAR_METRES = 400;
export const NEAR_MINUTES = 10;
/**
 * A tip's place is its caller's targeted location on a grid of this many degrees (about 220 m north–south, 135 m
 * east–west in the Netherlands): enough to put it on a map, never an address.
 */
export const PLACE_GRID_DEGREES = 0.002;

export interface Place {
  lat: number;
  lon: number;
}

export interface TipFeatures {
  id: string;
  clusterId: string;
  createdAt: Date;
  plates: readonly string[];
  descriptors: readonly string[];
  place: Place | null;
}

const snap = (v: number) => Math.round(Math.round(v / PLACE_GRID_DEGREES) * PLACE_GRID_DEGREES * 1e6) / 1e6;

export const coarsePlace = (lat: number, lon: number): Place => ({ lat: snap(lat), lon: snap(lon) });

const shares = (a: readonly string[], b: readonly string[]) => a.some((x) => b.includes(x));

export type Reason = "plate" | "words" | "place";

export function relatedBy(a: Omit<TipFeatures, "clusterId">, b: Omit<TipFeatures, "clusterId">): Reason | null {
  if (shares(a.plates, b.plates)) return "plate";
  if (shares(a.descriptors, b.descriptors)) return "words";
  if (
    a.place &&
    b.place &&
    Math.abs(a.createdAt.getTime() - b.createdAt.getTime()) <= NEAR_MINUTES * 60_000 &&
    haversineMeters(a.place.lat, a.place.lon, b.place.lat, b.place.lon) <= NEAR_METRES
  )
    return "place";
  return null;
}

/**
 * The cluster a new tip joins. Unrelated to every earlier tip: a cluster of its own, named by the tip's id. Related
 * to tips of several clusters: those clusters merge into the one whose first tip came first (ties: the smaller id),
 * so a cluster id, once shown, either stays or is replaced by an older one that the `sighting.clustered` event names.
 */
export function clusterFor(tip: Omit<TipFeatures, "clusterId">, earlier: readonly TipFeatures[]) {
  const firstAt = new Map<string, number>();
  for (const e of earlier)
    firstAt.set(e.clusterId, Math.min(firstAt.get(e.clusterId) ?? Infinity, e.createdAt.getTime()));
  const reasons = new Set<Reason>();
  const joined = new Set<string>();
  for (const e of earlier) {
    const reason = relatedBy(tip, e);
    if (!reason) continue;
    reasons.add(reason);
    joined.add(e.clusterId);
  }
  if (joined.size === 0) return { clusterId: tip.id, merged: [] as string[], reasons: [] as Reason[] };
  const [clusterId, ...merged] = [...joined].sort((x, y) => firstAt.get(x)! - firstAt.get(y)! || (x < y ? -1 : 1));
  return { clusterId, merged, reasons: [...reasons] };
}
