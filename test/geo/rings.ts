import type { Ring } from "../../src/geo/geometry.js";

/** A square around the Dam, counter-clockwise (RFC 7946 outline winding). */
export const square: Ring = [
  [4.88, 52.36],
  [4.9, 52.36],
  [4.9, 52.38],
  [4.88, 52.38],
  [4.88, 52.36],
];
/** A hole in it, clockwise. */
export const hole: Ring = [
  [4.885, 52.365],
  [4.885, 52.375],
  [4.895, 52.375],
  [4.895, 52.365],
  [4.885, 52.365],
];
