import "./styles.css";
import { api, ApiError, session, type Alert, type Region, type RegionDetail } from "./api.js";
import { composeView } from "./compose.js";
import { clear, h } from "./dom.js";
import { historyView } from "./history.js";
import { lang, setLang, t } from "./i18n.js";
import { connectLive } from "./live.js";
import { createMap, type AreaListener } from "./map.js";
import { watchView } from "./watch.js";
import { incomingAlerts } from "./incoming.js";
import { analyticsView } from "./analytics-view.js";
import { ti } from "./i18n-insight.js";

const root = document.getElementById("root")!;
let stopLive = () => {};

async function start() {
  stopLive();
  setLang(lang);
  document.querySelector(".skip")!.textContent = t.skip;
  if (!session.key()) return signIn();
  try {
    const regions = await api.get<Region[]>("/v1/regions");
    const config = await api.get<{ tileUrl: string | null }>("/console/config.json");
    await shell(regions, config.tileUrl);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
      session.clear();
      return signIn(err.message);
    }
    throw err;
  }
}

function langButton() {
  return h(
    "button",
    {
      type: "button",
      class: "link",
      name: "language",
      lang: lang === "nl" ? "en" : "nl",
      onclick: () => {
        setLang(lang === "nl" ? "en" : "nl");
        void start();
      },
    },
    t.language,
  );
}

function signIn(problem?: string) {
  const input = h("input", {
    id: "api-key",
    name: "api-key",
    type: "password",
    autocomplete: "off",
    spellcheck: "false",
    required: true,
    "aria-describedby": "sign-in-error",
  });
  const error = h("p", { class: "field-error", id: "sign-in-error", role: "alert", hidden: !problem }, problem ?? "");
  const form = h(
    "form",
    { class: "sign-in", "aria-labelledby": "sign-in-title" },
    h("h1", { id: "sign-in-title" }, t.title),
    h("p", {}, t.signInIntro),
    h("label", { for: "api-key" }, t.apiKey),
    input,
    error,
    h("button", { type: "submit", name: "sign-in" }, t.signIn),
    langButton(),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (!input.value.trim()) return;
    session.set(input.value.trim());
    void start();
  });
  clear(root, h("main", { id: "main", class: "centered" }, form));
  input.focus();
}

async function shell(regions: Region[], tileUrl: string | null) {
  const code = sessionStorage.getItem("burgernet.console.region") ?? regions[0].code;
  const region = await api.get<RegionDetail>(
    `/v1/regions/${regions.some((r) => r.code === code) ? code : regions[0].code}`,
  );
  const mapEl = h("div", { class: "map", role: "region", "aria-label": `${t.unit} ${region.name}` });
  const panel = h("div", { class: "panel" });
  const liveState = h("span", { class: "live-state", role: "status" }, t.liveOff);
  const regionPicker =
    regions.length > 1
      ? h(
          "select",
          {
            "aria-label": t.unit,
            onchange: (e: Event) => {
              sessionStorage.setItem("burgernet.console.region", (e.target as HTMLSelectElement).value);
              void start();
            },
          },
          ...regions.map((r) =>
            h("option", { value: r.code, selected: r.code === region.code }, `${r.code} ${r.name}`),
          ),
        )
      : null;
  const header = h(
    "header",
    { class: "top" },
    h("h1", {}, "Burgernet"),
    h(
      "p",
      { class: "unit", "data-region": region.code },
      `${t.unit}: `,
      h("strong", {}, region.name),
      ` (${region.code})`,
    ),
    regionPicker,
    liveState,
    langButton(),
    h("button", { type: "button", class: "link", name: "sign-out", onclick: signOut }, t.signOut),
  );
  clear(root, header, h("main", { id: "main", class: "workspace" }, mapEl, panel));

  // The map reports drawn areas to the form, which needs the map first.
  let setArea: AreaListener = () => {};
  const map = createMap(mapEl, { tileUrl, onArea: (a, label) => setArea(a, label) });
  map.showRegion(region);
  const history = historyView((a) => openAlert(a));
  const watch = watchView(map, region, () => void history.load());
  const compose = composeView(map, region, (a) => openAlert(a));
  setArea = compose.setArea;
  const analytics = analyticsView();

  const tabs = [
    { id: "new", label: t.tabNew, el: compose.el, mode: "compose" as const },
    { id: "live", label: t.tabLive, el: watch.el, mode: "watch" as const },
    { id: "past", label: t.tabPast, el: history.el, mode: "watch" as const },
    { id: "analytics", label: ti().analytics, el: analytics.el, mode: "watch" as const },
  ];
  const tabButtons = tabs.map((tab, i) =>
    h(
      "button",
      {
        type: "button",
        role: "tab",
        id: `tab-${tab.id}`,
        "aria-controls": `panel-${tab.id}`,
        onclick: () => select(i),
        onkeydown: (e: Event) => {
          const k = (e as KeyboardEvent).key;
          if (k === "ArrowRight" || k === "ArrowLeft")
            select((i + (k === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length, true);
        },
      },
      tab.label,
    ),
  );
  const panels = tabs.map((tab) =>
    h("div", { role: "tabpanel", id: `panel-${tab.id}`, "aria-labelledby": `tab-${tab.id}`, tabindex: 0 }, tab.el),
  );
  let selected = 0;
  const incoming = incomingAlerts({
    followingLive: () => ["dispatching", "active"].includes(watch.current()?.status ?? ""),
    composing: () => selected === 0,
    toLive: (a, show) => (show ? openAlert(a) : void watch.show(a, { background: true })),
  });
  clear(panel, incoming.el, h("div", { role: "tablist", "aria-label": t.title }, ...tabButtons), ...panels);

  function select(i: number, focus = false) {
    selected = i;
    tabButtons.forEach((b, j) => {
      b.setAttribute("aria-selected", String(i === j));
      b.tabIndex = i === j ? 0 : -1;
      panels[j].hidden = i !== j;
    });
    if (focus) tabButtons[i].focus();
    if (tabs[i].id === "new") map.mode("compose");
    else if (watch.current()) map.mode("watch");
    if (tabs[i].id === "past") void history.load();
    if (tabs[i].id === "analytics") void analytics.load();
  }
  function openAlert(a: Alert) {
    select(1);
    void watch.show(a);
  }
  select(0);

  const live = connectLive({
    onEvent: (e) => {
      watch.onEvent(e);
      void incoming.onEvent(e);
    },
    onState: (up) => {
      if (up) watch.resync();
      liveState.textContent = up ? t.liveOn : t.liveOff;
      liveState.classList.toggle("up", up);
    },
  });
  stopLive = () => live.close();
  function signOut() {
    live.close();
    session.clear();
    signIn();
  }
  window.addEventListener("pagehide", () => live.close(), { once: true });
  setTimeout(() => map.map.invalidateSize(), 0);
}

window.addEventListener("burgernet:signed-out", (e) => {
  stopLive();
  signIn((e as CustomEvent<string | undefined>).detail);
});

void start();
