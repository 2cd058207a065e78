import { h } from "./dom.js";
import { lang, t } from "./i18n.js";

/** The participant languages beyond Dutch and English (src/languages/languages.ts). */
export const OTHER_LANGUAGES = ["de", "fr", "pl", "tr", "ar", "uk"] as const;
export type OtherLanguage = (typeof OTHER_LANGUAGES)[number];

const NAMES: Record<"nl" | "en", Record<OtherLanguage, string>> = {
  nl: { de: "Duits", fr: "Frans", pl: "Pools", tr: "Turks", ar: "Arabisch", uk: "Oekraïens" },
  en: { de: "German", fr: "French", pl: "Polish", tr: "Turkish", ar: "Arabic", uk: "Ukrainian" },
};
const SUMMARY = {
  nl: "Teksten in andere talen (optioneel; zonder tekst krijgen zij de Nederlandse, ingeleid in hun taal)",
  en: "Texts in other languages (optional; without one they get the Dutch text, introduced in their language)",
};

type Field = { el: HTMLElement; input: HTMLTextAreaElement };
type FieldFactory = (lang: string, field: "voice" | "sms", label: string, maxlength: number) => Field;

/**
 * A closed disclosure with a spoken and an SMS text for each other language, written as the operator types (the
 * service never translates); the preview's fallback figure says who would otherwise get the Dutch text.
 */
export function otherLanguages(field: FieldFactory) {
  const names = NAMES[lang];
  const texts = Object.fromEntries(
    OTHER_LANGUAGES.map((l) => [
      l,
      {
        voice: field(l, "voice", `${names[l]}: ${t.voiceText.toLowerCase()}`, 1000),
        sms: field(l, "sms", `${names[l]}: ${t.smsText}`, 480),
      },
    ]),
  ) as Record<OtherLanguage, { voice: Field; sms: Field }>;
  const el = h(
    "details",
    { class: "texts-other" },
    h("summary", {}, SUMMARY[lang]),
    ...OTHER_LANGUAGES.map((l) =>
      h("fieldset", { "data-lang": l }, h("legend", {}, names[l]), texts[l].voice.el, texts[l].sms.el),
    ),
  );
  // Written in the language itself: the right script direction and spell checking.
  for (const l of OTHER_LANGUAGES)
    for (const f of [texts[l].voice.input, texts[l].sms.input]) {
      f.lang = l;
      f.dir = l === "ar" ? "rtl" : "auto";
    }
  return { el, texts };
}
