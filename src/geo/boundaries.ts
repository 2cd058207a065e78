import { readFileSync } from "node:fs";
import { pointInPolygon, type Ring } from "./geometry.js";

interface Feature {
  properties: { statcode: string; statnaam: string };
  geometry: { type: "Polygon"; coordinates: Ring[] } | { type: "MultiPolygon"; coordinates: Ring[][] };
}

export interface Area {
  code: string;
  name: string;
  polygons: Ring[][];
}

function load(file: string): Area[] {
  const geo = JSON.parse(readFileSync(new URL(`./data/${file}`, import.meta.url), "utf8")) as { features: Feature[] };
  return geo.features.map((f) => ({
    code: f.properties.statcode,
    name: f.properties.statnaam,
    polygons: f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates,
  }));
}

let regions: Area[] | undefined;
let municipalities: Map<string, Area> | undefined;

/** The 10 police units (CBS 2025, simplified to ~100 m). */
export function policeRegions(): Area[] {
  return (regions ??= load("regionale_eenheid_2025.geojson"));
}

export function municipality(code: string): Area | undefined {
  municipalities ??= new Map(load("gemeente_2025.geojson").map((a) => [a.code, a]));
  return municipalities.get(code);
}

function inArea(area: Area, lat: number, lon: number) {
  return area.polygons.some((rings) => pointInPolygon([lon, lat], rings));
}

/** The police unit a point lies in, or null outside the Netherlands (land borders simplified). */
export function regionAt(lat: number, lon: number): string | null {
  return policeRegions().find((r) => inArea(r, lat, lon))?.code ?? null;
}

export function insideNetherlands(lat: number, lon: number): boolean {
  return regionAt(lat, lon) !== null;
}
