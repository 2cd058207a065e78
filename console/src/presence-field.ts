import { h } from "./dom.js";
import { lang } from "./i18n.js";

const WORDS = {
  nl: {
    label: "Eerst vragen: nu in de buurt?",
    kind: "Zoals de soort (verdachte, voertuig: ja)",
    yes: "Ja",
    no: "Nee",
  },
  en: { label: "Ask first: nearby now?", kind: "As the kind says (suspect, vehicle: yes)", yes: "Yes", no: "No" },
};

/** The new alert's `presenceCheck` (issue 25): as its kind says, or set for this alert. */
export function presenceField() {
  const w = WORDS[lang];
  const select = h(
    "select",
    { id: "presence-check", name: "presenceCheck" },
    h("option", { value: "" }, w.kind),
    h("option", { value: "true" }, w.yes),
    h("option", { value: "false" }, w.no),
  );
  return {
    el: h("div", { class: "field" }, h("label", { for: "presence-check" }, w.label), select),
    /** Nothing when the kind decides, so the request stays as it was. */
    payload: (): { presenceCheck?: boolean } => (select.value ? { presenceCheck: select.value === "true" } : {}),
  };
}
