import { lang } from "./i18n.js";

/** The words of the tip groups and the analytics page, beside i18n.ts so that other features' edits stay apart. */
const nl = {
  tipsInGroup: (n: number) => (n === 1 ? "1 tip" : `${n} tips`),
  alertPlate: "kenteken uit de melding",
  placeOf: (n: number) => `Omgeving van ${n === 1 ? "1 tip" : `${n} tips`} (op ± 200 m)`,
  analytics: "Analyse",
  from: "Van",
  to: "Tot",
  groupBy: "Per",
  groupings: { unit: "eenheid", kind: "soort", channel: "kanaal", hour: "uur", language: "taal" } as Record<
    string,
    string
  >,
  show: "Tonen",
  csv: "CSV downloaden",
  total: "Totaal",
  drill: "oefening",
  columns: {
    key: "Groep",
    alerts: "Meldingen",
    targeted: "Benaderd",
    reachedPct: "Bereikt %",
    answeredPct: "Opgenomen %",
    eyesInArea: "In de buurt",
    tipsPer1000Reached: "Tips per 1.000 bereikt",
    putThrough: "Doorverbonden",
    medianSecondsToFirstTip: "Mediaan eerste tip (s)",
    foundPct: "Gevonden %",
    costPerAlertEur: "Kosten per melding (€)",
  } as Record<string, string>,
  chartLabel: "Bereikt % en tips per 1.000 bereikt, per groep",
};

const en: typeof nl = {
  tipsInGroup: (n: number) => (n === 1 ? "1 tip" : `${n} tips`),
  alertPlate: "the alert's plate",
  placeOf: (n: number) => `Area of ${n === 1 ? "1 tip" : `${n} tips`} (to ± 200 m)`,
  analytics: "Analytics",
  from: "From",
  to: "To",
  groupBy: "By",
  groupings: { unit: "unit", kind: "kind", channel: "channel", hour: "hour", language: "language" },
  show: "Show",
  csv: "Download CSV",
  total: "Total",
  drill: "drill",
  columns: {
    key: "Group",
    alerts: "Alerts",
    targeted: "Targeted",
    reachedPct: "Reached %",
    answeredPct: "Answered %",
    eyesInArea: "Eyes in the area",
    tipsPer1000Reached: "Tips per 1,000 reached",
    putThrough: "Put through",
    medianSecondsToFirstTip: "Median first tip (s)",
    foundPct: "Found %",
    costPerAlertEur: "Cost per alert (€)",
  },
  chartLabel: "Reached % and tips per 1,000 reached, per group",
};

export const ti = () => (lang === "en" ? en : nl);
