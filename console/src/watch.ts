import type L from "leaflet";
import { api, type Alert, type RegionDetail } from "./api.js";
import { areaCentre } from "./centre.js";
import { clear, formatTime, h } from "./dom.js";
import { closeForm } from "./close-form.js";
import { updateForm } from "./update-form.js";
import type { LiveEvent } from "./live.js";
import { t } from "./i18n.js";
import type { MapView } from "./map.js";
import { tipGroupsView } from "./tip-groups.js";
import { tipFromEvent, type Tip } from "./tips.js";
import { tx } from "./i18n-extra.js";
import { conversationsPanel } from "./conversations.js";
import { photoUpload } from "./photo-upload.js";

function tipLabel(tip: Tip, area: { pc4: string; place: string }) {
  return `${formatTime(tip.createdAt)} · ${tx().tipPlace}: ${area.pc4} ${area.place}`;
}

const LIVE = ["dispatching", "active"];

/** One alert, live: progress per outcome with the estimated finish, the reached area, tips newest first. */
export function watchView(map: MapView, region: RegionDetail, onChanged: () => void) {
  let alert: Alert | null = null;
  let center: L.LatLngExpression | null = null;
  let refreshing: Promise<void> | null = null;
  let again = false;
  let poll: number | undefined;
  const tips = new Map<string, Map<string, Tip>>();

  function addTips(alertId: string, list: Tip[]) {
    const known = tips.get(alertId) ?? new Map<string, Tip>();
    for (const tip of list) known.set(tip.id, { ...tip, callerArea: tip.callerArea ?? known.get(tip.id)?.callerArea });
    tips.set(alertId, known);
  }

  async function loadTips(alertId: string) {
    const page = await api.get<{ sightings: Tip[] }>(`/v1/alerts/${alertId}/sightings?limit=200`);
    addTips(alertId, page.sightings);
  }

  const heading = h("h2", { tabindex: -1 });
  const statusLine = h("p", { class: "status" });
  const smsLine = h("p", { class: "hint" });
  const head = h("div", { class: "watch-head" }, heading, statusLine, smsLine);
  const bar = h("progress", { max: 1, value: 0, "aria-label": t.progress });
  const counts = h("dl", { class: "counts outcome" });
  const eta = h("p", { class: "eta" });
  const reachedNote = h("p", { class: "hint reached-note" });
  const tipList = h("ol", { class: "tips", reversed: true, "aria-live": "polite", "aria-label": t.tips });
  const actions = h("div", { class: "watch-actions" });
  const textLine = conversationsPanel();
  const photo = photoUpload();
  const el = h(
    "section",
    { class: "watch", "aria-label": t.watching },
    h("p", { class: "hint empty" }, t.noAlert),
    head,
    h("div", { class: "progress-block" }, bar, counts, eta, reachedNote),
    actions,
    photo.el,
    h("h3", {}, t.tips),
    tipList,
    textLine.el,
  );

  function render() {
    el.classList.toggle("has-alert", !!alert);
    if (!alert) return;
    // The API's figures (the alert's `summary`): queued, at the carrier and unreached count calls and SMS, reached
    // counts people.
    const g = alert.summary;
    const done = g.total - g.queued - g.atCarrier;
    // Updated in place: focus on the heading survives a refresh.
    heading.textContent = `${t.kinds[alert.kind] ?? alert.kind} · ${formatTime(alert.createdAt)}`;
    statusLine.className = `status status-${alert.status}`;
    statusLine.dataset.status = alert.status;
    statusLine.textContent = `${t.status}: ${t.statuses[alert.status] ?? alert.status}`;
    smsLine.textContent = alert.texts.nl?.sms ?? "";
    bar.max = Math.max(1, g.total);
    bar.value = done;
    bar.setAttribute("aria-valuetext", `${done} / ${g.total}`);
    clear(
      counts,
      ...(["reached", "atCarrier", "queued", "unreached"] as const).flatMap((k) => [
        h("dt", {}, t.outcomeStatus[k]),
        h("dd", { "data-count": k }, String(g[k])),
      ]),
      h("dt", {}, t.total),
      h("dd", { "data-count": "total" }, String(g.total)),
    );
    eta.textContent = alert.estimatedFinishAt
      ? `${t.eta}: ${formatTime(alert.estimatedFinishAt)}`
      : `${t.eta}: ${LIVE.includes(alert.status) && g.queued + g.atCarrier > 0 ? "…" : t.done}`;
    // Rebuilt only when the state changes: a refresh must not wipe a closing message being typed.
    const live = LIVE.includes(alert.status) || alert.status === "draft";
    const actionsKey = `${alert.id}:${live ? (alert.status === "draft" ? "draft" : "open") : alert.status}`;
    if (actions.dataset.key !== actionsKey) {
      actions.dataset.key = actionsKey;
      const followUp = LIVE.includes(alert.status) ? [updateForm(alert, onAction)] : [];
      clear(actions, ...(live ? [...followUp, ...closeForm(alert, onAction)] : [closedNote(alert)]));
    }
    textLine.show(alert);
    photo.show(alert, live);
    const list = [...(tips.get(alert.id)?.values() ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    renderTips(list);
    map.showTips(
      list.flatMap((tip) =>
        tip.callerArea ? [{ id: tip.id, ...tip.callerArea, label: tipLabel(tip, tip.callerArea) }] : [],
      ),
    );
  }

  // Related tips in groups, the group with the newest tip first, each group's place on the map.
  const groups = tipGroupsView(tipList, map.map);
  const renderTips = (list: Tip[]) => groups.render(alert!.id, list, t.noTips);

  function closedNote(a: Alert) {
    if (a.status === "closed")
      return h("p", {}, `${t.outcome}: ${t.outcomes[a.outcome ?? ""] ?? a.outcome} · ${a.closingMessage ?? ""}`);
    return h("p", {}, `${t.statuses[a.status] ?? a.status} · ${formatTime(a.cancelledAt)}`);
  }

  function onAction(a: Alert) {
    alert = a;
    render();
    onChanged();
  }

  async function refresh() {
    if (!alert) return;
    if (refreshing) {
      again = true;
      return refreshing;
    }
    const id = alert.id;
    refreshing = (async () => {
      const [fresh] = await Promise.all([api.get<Alert>(`/v1/alerts/${id}`), loadTips(id)]);
      if (alert?.id !== id) return;
      alert = fresh;
      render();
      const radius = fresh.reachedWithinM ?? 0;
      map.showReached(center, radius);
      reachedNote.textContent = radius > 0 ? t.reachedUpTo(Math.round(radius)) : "";
    })()
      .catch(() => {})
      .finally(() => {
        refreshing = null;
        if (again) {
          again = false;
          void refresh();
        }
      });
    return refreshing;
  }

  return {
    el,
    current: () => alert,
    /** `background`: taken in while the operator writes a new alert; the map and the focus stay with that. */
    async show(a: Alert, opts: { background?: boolean } = {}) {
      alert = a;
      reachedNote.textContent = "";
      if (!opts.background) map.mode("watch");
      map.showAlertArea(a.area, !opts.background);
      center = areaCentre(a.area, region);
      render();
      // Keyboard and screen-reader users land on the alert they just sent or opened.
      if (!opts.background) heading.focus();
      clearInterval(poll);
      // Between alert.progress events (every few seconds) the estimate still moves: read it again now and then.
      poll = window.setInterval(() => alert && LIVE.includes(alert.status) && refresh(), 3000);
      await refresh();
    },
    /** After the live feed was down: read again what may have been missed. */
    resync: () => void refresh(),
    onEvent(e: LiveEvent) {
      textLine.onEvent(e);
      const alertId = (e.data.alertId as string | undefined) ?? null;
      if (e.type === "sighting.created" && alertId) addTips(alertId, [tipFromEvent(e)]);
      if (alert && alertId === alert.id) {
        if (e.type === "sighting.created") render();
        void refresh();
      }
    },
  };
}
