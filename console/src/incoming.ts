import { api, type Alert } from "./api.js";
import { clear, formatTime, h } from "./dom.js";
import { t } from "./i18n.js";
import { tx } from "./i18n-extra.js";
import type { LiveEvent } from "./live.js";

/** Alerts this console launched itself: their alert.created must not be announced as someone else's. */
export const ownLaunches = { pending: null as Promise<unknown> | null, ids: new Set<string>() };

const LIVE = ["dispatching", "active"];

/**
 * An alert started elsewhere in the unit (a colleague, CAP, the API) appears by itself: a notice that stays until
 * dismissed, and the alert in the Live view unless that already follows a live alert (then the notice offers to open
 * it). An operator writing a new alert stays on that form: the Live view takes it in the background.
 */
export function incomingAlerts(opts: {
  /** The Live view follows a live alert: leave it there. */
  followingLive: () => boolean;
  composing: () => boolean;
  /** Puts the alert in the Live view; `show` also switches to that tab. */
  toLive: (a: Alert, show: boolean) => void;
}) {
  const el = h("div", { class: "incoming", role: "status", "aria-live": "polite", hidden: true });

  function notify(a: Alert, shown: boolean) {
    const text = tx().startedElsewhere(t.kinds[a.kind] ?? a.kind, formatTime(a.createdAt));
    const dismiss = h("button", { type: "button", class: "link", name: "dismiss", "aria-label": "×" }, "×");
    dismiss.addEventListener("click", () => (el.hidden = true));
    const open = shown
      ? null
      : h("button", { type: "button", class: "secondary small", name: "open-incoming" }, tx().openIt);
    open?.addEventListener("click", () => {
      el.hidden = true;
      opts.toLive(a, true);
    });
    clear(el, h("p", { "data-alert": a.id }, text), open, dismiss);
    el.hidden = false;
  }

  return {
    el,
    async onEvent(e: LiveEvent) {
      if (e.type !== "alert.created") return;
      const id = e.data.alertId as string | undefined;
      if (!id) return;
      // The event can outrun the answer to our own launch: wait for it before deciding whose alert this is.
      await ownLaunches.pending?.catch(() => {});
      if (ownLaunches.ids.has(id)) return;
      const a = await api.get<Alert>(`/v1/alerts/${id}`).catch(() => null);
      if (!a) return;
      const take = !opts.followingLive() && LIVE.includes(a.status);
      const show = take && !opts.composing();
      if (take) opts.toLive(a, show);
      notify(a, show);
    },
  };
}
