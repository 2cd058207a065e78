import { lang } from "./i18n.js";

/** Strings of the template form and the Live notices (kept apart from i18n.ts so that branches merge cleanly). */
const nl = {
  template: "Sjabloon",
  noTemplate: "— zonder sjabloon: teksten zelf schrijven —",
  templateHint: "Vul de velden in: de teksten in elke taal worden ingevuld en blijven te bewerken.",
  required: "verplicht",
  spoken: (s: number) => `± ${s} s gesproken`,
  textsTitle: "Teksten per taal",
  startedElsewhere: (kind: string, time: string) => `Nieuwe melding in uw eenheid: ${kind}, gestart om ${time}.`,
  openIt: "Openen",
  tipPlace: "Tip (postcodegebied van de melder, niet het adres)",
};
const en: typeof nl = {
  template: "Template",
  noTemplate: "— no template: write the texts yourself —",
  templateHint: "Fill in the fields: the texts in every language are filled in and stay editable.",
  required: "required",
  spoken: (s) => `± ${s} s spoken`,
  textsTitle: "Texts per language",
  startedElsewhere: (kind, time) => `New alert in your unit: ${kind}, started at ${time}.`,
  openIt: "Open",
  tipPlace: "Tip (the caller's postcode area, not the address)",
};

export const tx = () => (lang === "en" ? en : nl);
