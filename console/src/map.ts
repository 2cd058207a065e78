import L from "leaflet";
import "leaflet/dist/leaflet.css";
import "@geoman-io/leaflet-geoman-free";
import "@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.css";
import type { AreaInput, RegionDetail } from "./api.js";

const UNIT_STYLE: L.PathOptions = { color: "#1f3a60", weight: 2.5, fillColor: "#f4f1ea", fillOpacity: 1 };
const MUNI_STYLE: L.PathOptions = { color: "#8a96a8", weight: 1, fillOpacity: 0 };
const MUNI_PICKED: L.PathOptions = { color: "#0b5cad", weight: 3, fillColor: "#0b5cad", fillOpacity: 0.18 };
const AREA_STYLE: L.PathOptions = { color: "#0b5cad", weight: 3, fillColor: "#0b5cad", fillOpacity: 0.12 };
const REACHED_STYLE: L.PathOptions = {
  color: "#1b7a3d",
  weight: 2,
  dashArray: "6 4",
  fillColor: "#1b7a3d",
  fillOpacity: 0.2,
};

const TIP_STYLE: L.CircleMarkerOptions = {
  radius: 8,
  color: "#8a3b00",
  weight: 2,
  fillColor: "#f08c00",
  fillOpacity: 0.9,
};

export type AreaListener = (area: AreaInput | null, label: string) => void;

/**
 * The unit on a Leaflet map with no base layer unless configured: the shipped CBS boundaries are the map.
 * Drawing is Leaflet-Geoman's; the drawn shape becomes the API's area input.
 */
export function createMap(el: HTMLElement, opts: { tileUrl: string | null; onArea: AreaListener }) {
  const map = L.map(el, { zoomSnap: 0.25, attributionControl: true, keyboard: true, preferCanvas: false });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Bron: CBS / PDOK (CC BY 4.0)");
  // A base map only when configured (CONSOLE_TILE_URL, e.g. PDOK's BRT-Achtergrondkaart): offline by default.
  if (opts.tileUrl)
    L.tileLayer(opts.tileUrl, { maxZoom: 19, attribution: "Kaart: © Kadaster / PDOK (CC BY 4.0)" }).addTo(map);
  map.pm.setGlobalOptions({ allowSelfIntersection: true, pathOptions: AREA_STYLE, templineStyle: AREA_STYLE });

  const base = L.layerGroup().addTo(map);
  const draft = L.featureGroup().addTo(map);
  const watch = L.featureGroup().addTo(map);
  const tipMarkers = L.featureGroup();
  let municipalities: L.GeoJSON | null = null;
  let picked: L.Path | null = null;
  let picking = false;
  let names = new Map<string, string>();
  let unitBounds: L.LatLngBounds | null = null;

  function emitFromLayer(layer: L.Layer) {
    if (layer instanceof L.Circle) {
      const c = layer.getLatLng();
      const area: AreaInput = {
        type: "circle",
        center: { lat: round(c.lat), lon: round(c.lng) },
        radiusMeters: Math.round(layer.getRadius()),
      };
      opts.onArea(area, "circle");
    } else if (layer instanceof L.Polygon) {
      const ring = (layer.getLatLngs()[0] as L.LatLng[]).map((p) => [round(p.lng), round(p.lat)] as [number, number]);
      ring.push([...ring[0]] as [number, number]);
      opts.onArea({ type: "Polygon", coordinates: [ring] }, "polygon");
    }
  }

  function resetPick() {
    picked?.setStyle(MUNI_STYLE);
    picked = null;
  }

  map.on("pm:create", (e) => {
    const layer = e.layer as L.Polygon | L.Circle;
    draft.clearLayers();
    resetPick();
    draft.addLayer(layer);
    layer.pm.enable({ allowSelfIntersection: true });
    layer.on("pm:edit", () => emitFromLayer(layer));
    emitFromLayer(layer);
  });

  return {
    map,
    showRegion(r: RegionDetail) {
      base.clearLayers();
      const unit = L.geoJSON(r.boundary, { style: UNIT_STYLE, interactive: false }).addTo(base);
      names = new Map(r.municipalities.features.map((f) => [f.properties.code, f.properties.name]));
      municipalities = L.geoJSON(r.municipalities, {
        style: MUNI_STYLE,
        onEachFeature: (f, layer) => {
          // Names on the map where they fit (a small unit); on hover everywhere.
          const permanent = r.municipalities.features.length <= 40;
          layer.bindTooltip(f.properties.name, {
            permanent,
            sticky: !permanent,
            direction: permanent ? "center" : "top",
            className: permanent ? "muni-label" : "",
          });
          layer.on("click", () => {
            if (!picking) return;
            picking = false;
            el.classList.remove("picking");
            this.pickMunicipality(f.properties.code);
          });
        },
      }).addTo(base);
      unitBounds = unit.getBounds();
      map.fitBounds(unitBounds, { padding: [16, 16] });
    },
    drawCircle: () => map.pm.enableDraw("Circle", { tooltips: false }),
    drawPolygon: () => map.pm.enableDraw("Polygon", { tooltips: false, finishOnEnter: true }),
    stopDrawing: () => map.pm.disableDraw(),
    pickOnMap() {
      map.pm.disableDraw();
      picking = true;
      el.classList.add("picking");
    },
    pickMunicipality(code: string) {
      draft.clearLayers();
      resetPick();
      municipalities?.eachLayer((l) => {
        const f = (l as L.GeoJSON).feature as GeoJSON.Feature<GeoJSON.Geometry, { code: string }>;
        if (f.properties.code === code) picked = l as L.Path;
      });
      picked?.setStyle(MUNI_PICKED).bringToFront();
      opts.onArea({ type: "municipality", code }, names.get(code) ?? code);
    },
    /** A circle typed into the fields (the keyboard way to draw). */
    setCircle(lat: number, lon: number, radius: number) {
      draft.clearLayers();
      resetPick();
      const c = L.circle([lat, lon], { radius, ...AREA_STYLE }).addTo(draft);
      c.pm.enable();
      c.on("pm:edit", () => emitFromLayer(c));
      emitFromLayer(c);
    },
    clearArea() {
      map.pm.disableDraw();
      draft.clearLayers();
      resetPick();
      opts.onArea(null, "");
    },
    /** Compose mode shows the draft; watch mode the alert's area and how far out people are reached. */
    mode(m: "compose" | "watch") {
      if (m === "compose") {
        if (map.hasLayer(watch) && unitBounds) map.fitBounds(unitBounds, { padding: [16, 16] });
        watch.remove();
        draft.addTo(map);
      } else {
        map.pm.disableDraw();
        draft.remove();
        // An alert taken in while composing was not fitted then: show it now (a circle has bounds only on the map).
        const hidden = !map.hasLayer(watch);
        watch.addTo(map);
        if (hidden && watch.getLayers().length) map.fitBounds(watch.getBounds(), { padding: [40, 40], maxZoom: 14 });
      }
    },
    showAlertArea(area: AreaInput, fit = true) {
      watch.clearLayers();
      const layer = areaLayer(area, municipalities);
      if (layer) {
        watch.addLayer(layer);
        if (fit) map.fitBounds(layer.getBounds(), { padding: [40, 40], maxZoom: 14 });
      }
      return layer ? layer.getBounds().getCenter() : null;
    },
    /** Tips where the caller's postcode area is (PC4 centre): coarse on purpose, never an address. */
    showTips(tips: { id: string; lat: number; lon: number; label: string }[]) {
      tipMarkers.clearLayers();
      for (const tip of tips)
        L.circleMarker([tip.lat, tip.lon], { ...TIP_STYLE, className: "tip-marker" })
          .bindTooltip(tip.label)
          .addTo(tipMarkers);
      if (!watch.hasLayer(tipMarkers)) watch.addLayer(tipMarkers);
    },
    showReached(center: L.LatLngExpression | null, radius: number) {
      watch.eachLayer((l) => {
        if ((l as L.Layer & { reached?: boolean }).reached) watch.removeLayer(l);
      });
      if (!center || radius <= 0) return;
      const r = L.circle(center, { radius, ...REACHED_STYLE, interactive: false }) as L.Circle & { reached?: boolean };
      r.reached = true;
      r.bindTooltip("reached");
      watch.addLayer(r);
    },
  };
}

function round(v: number) {
  return Math.round(v * 1e6) / 1e6;
}

function areaLayer(area: AreaInput, municipalities: L.GeoJSON | null): L.Circle | L.Polygon | L.GeoJSON | null {
  if (area.type === "circle")
    return L.circle([area.center.lat, area.center.lon], { radius: area.radiusMeters, ...AREA_STYLE });
  // GeoJSON as the service keeps it; Leaflet draws holes and parts.
  if (area.type === "Polygon" || area.type === "MultiPolygon") return L.geoJSON(area, { style: AREA_STYLE });
  let found: L.GeoJSON | null = null;
  municipalities?.eachLayer((l) => {
    const f = (l as L.GeoJSON).feature as GeoJSON.Feature<GeoJSON.Geometry, { code: string }>;
    if (f.properties.code === area.code) found = L.geoJSON(f, { style: AREA_STYLE });
  });
  return found;
}

export type MapView = ReturnType<typeof createMap>;
