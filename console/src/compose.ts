import { api, type Alert, type AlertInput, type AreaInput, type Preview, type RegionDetail } from "./api.js";
import { areaControls } from "./area-controls.js";
import { clear, h, uid } from "./dom.js";
import { clearErrors, errorSlot, showErrors } from "./errors.js";
import { t } from "./i18n.js";
import type { MapView } from "./map.js";
import { MAX_SMS_SEGMENTS, smsSegments } from "../../src/rules/sms-segments.js";
import { templateForm } from "./template-form.js";
import { ownLaunches } from "./incoming.js";
import { previewTexts } from "./preview-texts.js";
import { presenceField } from "./presence-field.js";
import { OTHER_LANGUAGES, otherLanguages } from "./other-languages.js";

const KINDS = ["missing_child", "missing_person", "suspect", "vehicle", "other"];

function textField(lang: string, field: "voice" | "sms", label: string, maxlength: number) {
  const id = uid(`${lang}-${field}`);
  const slot = `texts-${lang}-${field}`;
  const counterId = `${id}-count`;
  const input = h("textarea", {
    id,
    name: `${lang}-${field}`,
    rows: field === "voice" ? 3 : 3,
    maxlength,
    "aria-describedby": `err-${slot}${field === "sms" ? ` ${counterId}` : ""}`,
  });
  const counter = field === "sms" ? h("p", { class: "counter", id: counterId, "aria-live": "polite" }) : null;
  const update = () => {
    if (!counter) return;
    const s = smsSegments(input.value);
    counter.textContent = t.segments(s.segments, s.characters, s.encoding);
    counter.classList.toggle("over", s.segments > MAX_SMS_SEGMENTS);
  };
  input.addEventListener("input", update);
  update();
  return { el: h("div", { class: "field" }, h("label", { for: id }, label), input, counter, errorSlot(slot)), input };
}

/**
 * The new-alert form: area, texts (with the SMS count as one types), kind, priority, channels; preview, then
 * launch.
 */
export function composeView(map: MapView, region: RegionDetail, onLaunched: (a: Alert) => void) {
  let area: AreaInput | null = null;
  let previewed: string | null = null;
  let idempotencyKey = "";
  const areaCtl = areaControls(map, region);

  const others = otherLanguages(textField);
  const texts = {
    nl: { voice: textField("nl", "voice", t.voiceText, 1000), sms: textField("nl", "sms", t.smsText, 480) },
    en: { voice: textField("en", "voice", t.voiceText, 1000), sms: textField("en", "sms", t.smsText, 480) },
    ...others.texts,
  };
  const kindId = uid("kind");
  const kind = h(
    "select",
    { id: kindId, name: "kind", "aria-describedby": "err-kind" },
    ...KINDS.map((k) => h("option", { value: k }, t.kinds[k])),
  );
  // A template writes the texts of every language; what the operator then edits is sent as their own.
  const template = templateForm((filled, templateKind) => {
    for (const [l, pair] of Object.entries(texts)) {
      for (const channel of ["voice", "sms"] as const) {
        const input = pair[channel].input;
        input.value = filled[l]?.[channel] ?? "";
        input.dataset.filled = input.value;
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }
    }
    kind.value = templateKind;
  });
  const edited = (l: keyof typeof texts) =>
    (["voice", "sms"] as const).some((c) => texts[l][c].input.value !== (texts[l][c].input.dataset.filled ?? ""));
  const radio = (value: string, label: string, checked = false) =>
    h("label", { class: "inline" }, h("input", { type: "radio", name: "priority", value, checked }), label);
  const check = (value: string, label: string) =>
    h("label", { class: "inline" }, h("input", { type: "checkbox", name: "channel", value, checked: true }), label);

  const presence = presenceField();
  const previewOut = h("section", { class: "preview", "aria-live": "polite", hidden: true });
  const previewBtn = h("button", { type: "submit", name: "preview" }, t.preview);
  const launchBtn = h("button", { type: "button", name: "launch", class: "danger", disabled: true }, t.launch);

  const form = h(
    "form",
    { class: "compose", novalidate: true, "aria-label": t.tabNew },
    areaCtl.el,
    template.el,
    h("fieldset", {}, h("legend", {}, t.textsNl), texts.nl.voice.el, texts.nl.sms.el),
    h(
      "details",
      { class: "texts-en" },
      h("summary", {}, t.textsEn),
      h("fieldset", {}, h("legend", { class: "visually-hidden" }, t.textsEn), texts.en.voice.el, texts.en.sms.el),
    ),
    others.el,
    h(
      "div",
      { class: "row" },
      h("div", { class: "field" }, h("label", { for: kindId }, t.kind), kind, errorSlot("kind")),
      h(
        "fieldset",
        { class: "compact" },
        h("legend", {}, t.priority),
        radio("normal", t.normal, true),
        radio("urgent", t.urgent),
      ),
      h(
        "fieldset",
        { class: "compact", "aria-describedby": "err-channels" },
        h("legend", {}, t.channels),
        check("voice", t.voice),
        check("sms", t.sms),
        errorSlot("channels"),
      ),
      presence.el,
    ),
    errorSlot("form"),
    h("div", { class: "row actions" }, previewBtn, launchBtn),
    previewOut,
  );

  function input(): AlertInput | null {
    const tpl = template.value();
    const all: AlertInput["texts"] = {};
    // With a template only the languages the operator edited go as texts: the service fills the others itself.
    if (!tpl || edited("nl")) all.nl = { voice: texts.nl.voice.input.value, sms: texts.nl.sms.input.value };
    const en = { voice: texts.en.voice.input.value, sms: texts.en.sms.input.value };
    if ((en.voice.trim() || en.sms.trim()) && (!tpl || edited("en"))) all.en = en;
    for (const l of OTHER_LANGUAGES) {
      const x = { voice: texts[l].voice.input.value, sms: texts[l].sms.input.value };
      if ((x.voice.trim() || x.sms.trim()) && (!tpl || edited(l))) all[l] = x;
    }
    if (!area) return null;
    return {
      ...(tpl ? { template: tpl } : {}),
      region: region.code,
      kind: kind.value,
      priority: (form.querySelector<HTMLInputElement>('input[name="priority"]:checked')?.value ?? "normal") as
        "normal" | "urgent",
      channels: [...form.querySelectorAll<HTMLInputElement>('input[name="channel"]:checked')].map((c) => c.value),
      ...(Object.keys(all).length ? { texts: all } : {}),
      ...presence.payload(),
      area,
    };
  }

  function invalidatePreview() {
    if (previewed === null) return;
    previewed = null;
    launchBtn.disabled = true;
    previewOut.classList.add("stale");
  }
  form.addEventListener("input", invalidatePreview);
  form.addEventListener("change", invalidatePreview);

  function renderPreview(p: Preview) {
    const skipped = Object.entries((p.skipped ?? {}) as Record<string, number>).filter(([, n]) => n > 0);
    // No text in their language: the Dutch one, introduced by a sentence in theirs (per language, as the API counts).
    const fallback = Object.entries(p.fallback?.byLanguage ?? {}).map(([l, f]) => `${l} ${f.participants}`);
    const sms = Object.entries(p.smsText ?? {}).map(
      ([l, s]) => `${l}: ${t.segments(s.segments, s.characters, s.encoding)}`,
    );
    clear(
      previewOut,
      h("h3", {}, t.previewTitle),
      h(
        "dl",
        { class: "counts" },
        h("dt", {}, t.byVoice),
        h("dd", { "data-count": "voice" }, String(p.voice)),
        h("dt", {}, t.bySms),
        h("dd", { "data-count": "sms" }, String(p.sms)),
        h("dt", {}, t.skipped),
        h(
          "dd",
          { "data-count": "skipped" },
          skipped.length ? skipped.map(([r, n]) => `${n} ${t.skipReasons[r] ?? r}`).join(", ") : "0",
        ),
        h("dt", {}, t.fallback),
        h(
          "dd",
          { "data-count": "fallback" },
          fallback.length ? `${p.fallback!.participants} (${fallback.join(", ")})` : "0",
        ),
        h("dt", {}, t.estimated),
        h("dd", { "data-count": "seconds" }, t.seconds(p.estimatedSeconds)),
        ...(p.cost
          ? [h("dt", {}, t.cost), h("dd", { "data-count": "cost", title: p.cost.basis }, t.euros(p.cost.eur))]
          : []),
      ),
      p.budget?.needsAdminKey
        ? h(
            "p",
            { class: "hint", role: "alert" },
            t.overBudget(t.euros(p.budget.spentEur), t.euros(p.budget.monthlyEur)),
          )
        : null,
      h("p", { class: "hint" }, sms.join(" · ")),
      p.quietHours ? h("p", { class: "hint" }, t.quietHours) : null,
      previewTexts(p),
      h("p", { class: "stale-note hint" }, t.changedSincePreview),
    );
    previewOut.hidden = false;
    previewOut.classList.remove("stale");
    previewOut.scrollIntoView({ block: "nearest" });
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    const body = input();
    if (!body) return showErrors(form, Object.assign(new Error(t.noArea), {}));
    previewBtn.disabled = true;
    try {
      renderPreview(await api.post<Preview>("/v1/alerts/preview", body));
      previewed = JSON.stringify(body);
      idempotencyKey = crypto.randomUUID();
      launchBtn.disabled = false;
    } catch (err) {
      previewOut.hidden = true;
      showErrors(form, err);
    } finally {
      previewBtn.disabled = false;
    }
  });

  launchBtn.addEventListener("click", async () => {
    const body = input();
    if (!body || JSON.stringify(body) !== previewed) return invalidatePreview();
    clearErrors(form);
    launchBtn.disabled = true;
    try {
      const launch = api.post<Alert>("/v1/alerts", body, { "idempotency-key": idempotencyKey });
      ownLaunches.pending = launch;
      const alert = await launch;
      ownLaunches.ids.add(alert.id);
      previewed = null;
      previewOut.hidden = true;
      // The texts stay for a follow-up; the area is the sent alert's now, shown in the Live tab.
      map.clearArea();
      onLaunched(alert);
    } catch (err) {
      showErrors(form, err);
      launchBtn.disabled = false;
    }
  });

  return {
    el: form,
    setArea(a: AreaInput | null, label: string) {
      area = a;
      areaCtl.update(a, label);
      invalidatePreview();
      clearErrors(areaCtl.el);
    },
  };
}
