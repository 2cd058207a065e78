import type { AreaInput, RegionDetail } from "./api.js";
import { h, uid } from "./dom.js";
import { errorSlot } from "./errors.js";
import { t } from "./i18n.js";
import type { MapView } from "./map.js";

/** Drawing buttons, a municipality list and circle fields: every way to set the area, the keyboard included. */
export function areaControls(map: MapView, region: RegionDetail) {
  const hint = h("p", { class: "hint", "aria-live": "polite" });
  const summary = h("p", { class: "area-summary", id: "area-summary" }, t.noArea);
  const ids = { muni: uid("muni"), lat: uid("lat"), lon: uid("lon"), radius: uid("radius") };
  const muni = h(
    "select",
    { id: ids.muni, name: "municipality", "aria-describedby": "err-area" },
    h("option", { value: "" }, t.chooseMunicipality),
    ...region.municipalities.features.map((f) => h("option", { value: f.properties.code }, f.properties.name)),
  );
  muni.addEventListener("change", () => muni.value && map.pickMunicipality(muni.value));
  const num = (id: string, name: string, step: string) =>
    h("input", { id, name, type: "number", step, inputmode: "decimal", "aria-describedby": "err-area" });
  const lat = num(ids.lat, "lat", "0.000001");
  const lon = num(ids.lon, "lon", "0.000001");
  const radius = num(ids.radius, "radius", "50");
  const apply = h("button", { type: "button", class: "secondary", name: "apply-circle" }, "OK");
  apply.addEventListener("click", () => {
    if (lat.value && lon.value && radius.value)
      map.setCircle(Number(lat.value), Number(lon.value), Number(radius.value));
  });

  const button = (label: string, name: string, onclick: () => void) =>
    h("button", { type: "button", class: "secondary", name, onclick }, label);

  const el = h(
    "fieldset",
    { class: "area" },
    h("legend", {}, t.area),
    h(
      "div",
      { class: "row" },
      button(t.drawCircle, "draw-circle", () => {
        hint.textContent = t.drawHintCircle;
        map.drawCircle();
      }),
      button(t.drawPolygon, "draw-polygon", () => {
        hint.textContent = t.drawHintPolygon;
        map.drawPolygon();
      }),
      button(t.clearArea, "clear-area", () => map.clearArea()),
    ),
    hint,
    h("label", { for: ids.muni }, t.municipality),
    muni,
    h(
      "details",
      {},
      h("summary", {}, t.circleFields),
      h(
        "div",
        { class: "row circle-fields" },
        h("span", {}, h("label", { for: ids.lat }, t.lat), lat),
        h("span", {}, h("label", { for: ids.lon }, t.lon), lon),
        h("span", {}, h("label", { for: ids.radius }, t.radius), radius),
        apply,
      ),
    ),
    summary,
    errorSlot("area"),
  );

  return {
    el,
    /** Called by the map whenever the area changes. */
    update(area: AreaInput | null, label: string) {
      hint.textContent = "";
      if (!area) {
        summary.textContent = t.noArea;
        muni.value = "";
        return;
      }
      if (area.type === "circle") {
        lat.value = String(area.center.lat);
        lon.value = String(area.center.lon);
        radius.value = String(area.radiusMeters);
        summary.textContent = t.circleSummary(area.center.lat, area.center.lon, area.radiusMeters);
      } else if (area.type === "Polygon") {
        summary.textContent = t.polygonSummary(area.coordinates[0].length - 1);
      } else if (area.type === "MultiPolygon") {
        summary.textContent = t.polygonSummary(area.coordinates.reduce((n, rings) => n + rings[0].length - 1, 0));
      } else {
        summary.textContent = `${t.municipality}: ${label}`;
      }
      if (area.type !== "municipality") muni.value = "";
      else muni.value = area.code;
    },
  };
}
