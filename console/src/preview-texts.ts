import type { Preview } from "./api.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { tx } from "./i18n-extra.js";
import { plainSpoken } from "../../src/rules/spoken-length.js";

/** Every language's texts as the service will send them, with SMS segments and spoken length. */
export function previewTexts(p: Preview) {
  const texts = Object.entries(p.texts ?? {});
  if (!texts.length) return null;
  return h(
    "section",
    { class: "preview-texts", "aria-label": tx().textsTitle },
    h("h4", {}, tx().textsTitle),
    ...texts.map(([l, x]) =>
      h(
        "div",
        { class: "preview-lang", "data-lang": l, lang: l },
        h("h5", {}, l.toUpperCase()),
        // As the citizen hears it: a plate spelled, not the SSML that spells it.
        h("p", { class: "voice" }, h("strong", {}, `${t.voice}: `), plainSpoken(x.voice)),
        h("p", { class: "sms" }, h("strong", {}, `${t.sms}: `), x.sms),
        h(
          "p",
          { class: "hint", "data-figures": l },
          `${t.segments(x.smsSegments.segments, x.smsSegments.characters, x.smsSegments.encoding)} · ${tx().spoken(
            x.spokenSeconds,
          )}`,
        ),
      ),
    ),
  );
}
