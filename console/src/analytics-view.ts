import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";
import "./analytics-view.css";
import { api } from "./api.js";
import { clear, h, uid } from "./dom.js";
import { ti } from "./i18n-insight.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

type Figures = Record<string, number | null> & { drill: boolean };
interface Answer {
  groupBy: string;
  groups: (Figures & { key: string })[];
  totals: Figures[];
}

const COLUMNS = [
  "alerts",
  "targeted",
  "reachedPct",
  "answeredPct",
  "eyesInArea",
  "tipsPer1000Reached",
  "putThrough",
  "medianSecondsToFirstTip",
  "foundPct",
  "costPerAlertEur",
];
const GROUPINGS = ["unit", "kind", "channel", "hour", "language"];

const day = (d: Date) => d.toISOString().slice(0, 10);
const dash = (v: number | null | undefined) => (v === null || v === undefined ? "–" : String(v));

/** What works across alerts: the figures per group as bars and as a table, and the same as CSV. */
export function analyticsView(now: () => Date = () => new Date()) {
  const ids = { from: uid("from"), to: uid("to"), by: uid("by") };
  const t = ti();
  const from = h("input", {
    id: ids.from,
    name: "from",
    type: "date",
    value: day(new Date(now().getTime() - 30 * 86_400_000)),
  });
  const to = h("input", { id: ids.to, name: "to", type: "date", value: day(now()) });
  const by = h(
    "select",
    { id: ids.by, name: "groupBy" },
    ...GROUPINGS.map((g) => h("option", { value: g }, t.groupings[g])),
  );
  const show = h("button", { type: "submit", name: "show" }, t.show);
  const csv = h("button", { type: "button", class: "secondary small", name: "csv" }, t.csv);
  const status = h("p", { class: "field-error", role: "alert", hidden: true });
  const canvas = h("canvas", { role: "img", "aria-label": t.chartLabel });
  const table = h("table", { class: "analytics-table" });
  const form = h(
    "form",
    { class: "analytics-form" },
    h("label", { for: ids.from }, t.from),
    from,
    h("label", { for: ids.to }, t.to),
    to,
    h("label", { for: ids.by }, t.groupBy),
    by,
    show,
    csv,
  );
  const el = h(
    "section",
    { class: "analytics", "aria-label": t.analytics },
    form,
    status,
    h("div", { class: "chart-box" }, canvas),
    h("div", { class: "table-scroll" }, table),
  );
  let chart: Chart | null = null;

  // The date fields are whole days in UTC; `to` includes its day.
  const query = () => {
    const end = new Date(`${to.value}T00:00:00Z`);
    end.setUTCDate(end.getUTCDate() + 1);
    return `from=${from.value}T00:00:00Z&to=${end.toISOString()}&groupBy=${by.value}`;
  };

  function fail(err: unknown) {
    status.hidden = false;
    status.textContent = (err as Error).message;
  }

  function render(a: Answer) {
    const label = (g: Figures & { key?: string }) => `${g.key ?? t.total}${g.drill ? ` (${t.drill})` : ""}`;
    const rows = [...a.groups, ...a.totals];
    clear(
      table,
      h("thead", {}, h("tr", {}, ...["key", ...COLUMNS].map((c) => h("th", { scope: "col" }, t.columns[c])))),
      h(
        "tbody",
        {},
        ...rows.map((g) =>
          h(
            "tr",
            { "data-key": "key" in g ? String(g.key) : "total" },
            h("th", { scope: "row" }, label(g)),
            ...COLUMNS.map((c) => h("td", { "data-figure": c }, dash(g[c]))),
          ),
        ),
      ),
    );
    chart?.destroy();
    chart = new Chart(canvas, {
      type: "bar",
      data: {
        labels: a.groups.map(label),
        datasets: [
          { label: t.columns.reachedPct, data: a.groups.map((g) => g.reachedPct), backgroundColor: "#0b5cad" },
          {
            label: t.columns.tipsPer1000Reached,
            data: a.groups.map((g) => g.tipsPer1000Reached),
            backgroundColor: "#e17000",
          },
        ],
      },
      options: { animation: false, responsive: true, maintainAspectRatio: false },
    });
  }

  async function load() {
    status.hidden = true;
    try {
      render(await api.get<Answer>(`/v1/analytics?${query()}`));
    } catch (err) {
      fail(err);
    }
  }

  async function download() {
    csv.disabled = true;
    try {
      const blob = await api.blob(`/v1/analytics?${query()}&format=csv`);
      const url = URL.createObjectURL(blob);
      const link = h("a", { href: url, download: `analytics-by-${by.value}.csv`, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      fail(err);
    } finally {
      csv.disabled = false;
    }
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void load();
  });
  csv.addEventListener("click", () => void download());
  return { el, load };
}
