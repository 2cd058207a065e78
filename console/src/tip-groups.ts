import L from "leaflet";
import "./tip-groups.css";
import { clear, h } from "./dom.js";
import { ti } from "./i18n-insight.js";
import { tipItem, type Tip } from "./tips.js";

interface Group {
  clusterId: string;
  tips: Tip[];
  plates: string[];
  namesAlertPlate: boolean;
  place: { lat: number; lon: number } | null;
}

/** Tips by their `clusterId`, newest tip first in each group and the group with the newest tip first. */
export function groupTips(tips: Tip[]): Group[] {
  const byCluster = new Map<string, Tip[]>();
  for (const tip of tips) {
    const id = tip.clusterId ?? tip.id;
    byCluster.set(id, [...(byCluster.get(id) ?? []), tip]);
  }
  return [...byCluster.entries()]
    .map(([clusterId, list]) => {
      list.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      const places = list.flatMap((t) => (t.place ? [t.place] : []));
      return {
        clusterId,
        tips: list,
        plates: [...new Set(list.flatMap((t) => t.plates ?? []))].sort(),
        namesAlertPlate: list.some((t) => t.namesAlertPlate),
        place: places.length
          ? {
              lat: places.reduce((n, p) => n + p.lat, 0) / places.length,
              lon: places.reduce((n, p) => n + p.lon, 0) / places.length,
            }
          : null,
      };
    })
    .sort((a, b) => b.tips[0].createdAt.localeCompare(a.tips[0].createdAt));
}

/** The places are the API's coarse ones (a 0.002° grid): drawn as a circle of that size, never a pin on a house. */
const PLACE_RADIUS_M = 150;

/**
 * The tips of the alert being watched, in groups of related tips, and each group's place on the map. A tip keeps
 * its element while it is shown (a recording being played survives a refresh).
 */
export function tipGroupsView(list: HTMLOListElement, map: L.Map) {
  const layer = L.featureGroup().addTo(map);
  const shownTips = new Map<string, HTMLElement>();
  const shownGroups = new Map<string, HTMLElement>();
  let shownFor: string | null = null;

  function groupHead(g: Group) {
    const { tipsInGroup, alertPlate } = ti();
    return [
      h("strong", {}, tipsInGroup(g.tips.length)),
      ...g.plates.map((p) => h("span", { class: "plate", "data-plate": p }, p)),
      g.namesAlertPlate ? h("span", { class: "alert-plate" }, alertPlate) : null,
    ];
  }

  /** Puts `children` into `parent` in this order, moving only what is out of place (a playing <audio> keeps on). */
  function place(parent: Element, children: HTMLElement[]) {
    children.forEach((child, i) => {
      if (parent.children[i] !== child) parent.insertBefore(child, parent.children[i] ?? null);
    });
    while (parent.children.length > children.length) parent.lastElementChild!.remove();
  }

  function groupElement(g: Group) {
    let li = shownGroups.get(g.clusterId);
    if (!li) {
      li = h(
        "li",
        { class: "tip-group", "data-cluster": g.clusterId },
        h("p", { class: "group-head" }),
        h("ol", { class: "group-tips" }),
      );
      shownGroups.set(g.clusterId, li);
    }
    li.dataset.count = String(g.tips.length);
    clear(li.querySelector(".group-head")!, ...groupHead(g));
    const items = g.tips.map((tip) => {
      let item = shownTips.get(tip.id);
      if (!item) shownTips.set(tip.id, (item = tipItem(tip)));
      return item;
    });
    place(li.querySelector("ol")!, items);
    return li;
  }

  function drawPlace(g: Group) {
    if (!g.place) return;
    L.circle([g.place.lat, g.place.lon], {
      radius: PLACE_RADIUS_M,
      className: "tip-place",
      color: g.namesAlertPlate ? "#b3261e" : "#7a4fa3",
      weight: 2,
      fillOpacity: 0.25,
    })
      .bindTooltip(ti().placeOf(g.tips.length))
      .addTo(layer);
  }

  return {
    render(alertId: string, tips: Tip[], empty: string) {
      if (shownFor !== alertId) {
        shownTips.clear();
        shownGroups.clear();
        shownFor = alertId;
        clear(list);
      }
      layer.clearLayers();
      if (!tips.length) return clear(list, h("li", { class: "hint" }, empty));
      list.querySelector(":scope > li.hint")?.remove();
      const groups = groupTips(tips);
      groups.forEach(drawPlace);
      place(list, groups.map(groupElement));
      for (const id of shownGroups.keys()) if (!groups.some((g) => g.clusterId === id)) shownGroups.delete(id);
    },
  };
}
