import { api, type Alert } from "./api.js";
import { clear, formatDate, formatTime, h } from "./dom.js";
import { t } from "./i18n.js";

interface Report {
  targeted: number;
  reached: number;
  calls: Record<string, number>;
  sms: Record<string, number>;
  tips: Record<string, number>;
  putThrough: number;
  timeToFirstAnswerSeconds: number | null;
  timeToFirstTipSeconds: number | null;
}

/** Past alerts with their report; the CSV is fetched with the key and handed to the browser as a file. */
export function historyView(onOpen: (a: Alert) => void) {
  const list = h("ul", { class: "history" });
  const refreshBtn = h("button", { type: "button", class: "secondary small", name: "refresh" }, t.refresh);
  const status = h("p", { class: "field-error", role: "alert", hidden: true });
  const el = h(
    "section",
    { class: "past", "aria-label": t.tabPast },
    h("div", { class: "row" }, refreshBtn),
    status,
    list,
  );

  async function download(a: Alert, btn: HTMLButtonElement) {
    btn.disabled = true;
    try {
      const blob = await api.blob(`/v1/alerts/${a.id}/report?format=csv`);
      const url = URL.createObjectURL(blob);
      const link = h("a", { href: url, download: `alert-${a.id}-deliveries.csv`, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      status.hidden = false;
      status.textContent = (err as Error).message;
    } finally {
      btn.disabled = false;
    }
  }

  async function showReport(a: Alert, box: HTMLElement) {
    const r = await api.get<Report>(`/v1/alerts/${a.id}/report`);
    clear(
      box,
      h(
        "dl",
        { class: "counts report" },
        ...(
          [
            [t.participants, r.targeted],
            [t.reached, r.reached],
            [t.byVoice, `${r.calls.answered ?? 0} / ${r.calls.total ?? 0}`],
            [t.bySms, `${r.sms.delivered ?? 0} / ${r.sms.total ?? 0}`],
            [t.tips, r.tips.total ?? 0],
          ] as const
        ).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, String(v))]),
      ),
    );
  }

  function row(a: Alert) {
    const box = h("div", { class: "report-box" });
    const csv = h("button", { type: "button", class: "secondary small", name: "csv" }, t.downloadCsv);
    csv.addEventListener("click", () => download(a, csv));
    const report = h("button", { type: "button", class: "secondary small", name: "report" }, t.report);
    report.addEventListener("click", () => showReport(a, box).catch((e: Error) => (box.textContent = e.message)));
    return h(
      "li",
      { "data-alert": a.id },
      h(
        "p",
        {},
        h("strong", {}, `${t.kinds[a.kind] ?? a.kind}`),
        ` · ${formatDate(a.createdAt)} ${formatTime(a.createdAt)} · `,
        h("span", { "data-status": a.status }, t.statuses[a.status] ?? a.status),
      ),
      h("p", { class: "hint" }, a.texts.nl?.sms ?? ""),
      h(
        "div",
        { class: "row" },
        h("button", { type: "button", class: "secondary small", name: "open", onclick: () => onOpen(a) }, t.open),
        report,
        csv,
      ),
      box,
    );
  }

  async function load() {
    status.hidden = true;
    try {
      const alerts = await api.get<Alert[]>("/v1/alerts?limit=50");
      clear(list, ...(alerts.length ? alerts.map(row) : [h("li", { class: "hint" }, t.none)]));
    } catch (err) {
      status.hidden = false;
      status.textContent = (err as Error).message;
    }
  }
  refreshBtn.addEventListener("click", load);
  return { el, load };
}
