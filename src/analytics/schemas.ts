import { GROUP_BY } from "./queries.js";

const timestamp = { type: "string", format: "date-time" } as const;

export const analyticsQuery = {
  type: "object",
  additionalProperties: false,
  required: ["from", "to"],
  properties: {
    from: { ...timestamp, description: "Alerts created at or after this instant" },
    to: { ...timestamp, description: "…and before this one; at most 400 days after `from`" },
    groupBy: { type: "string", enum: [...GROUP_BY], default: "unit" },
    format: { type: "string", enum: ["json", "csv"], description: "`csv`, or `Accept: text/csv`: one line per group" },
    drill: {
      type: "boolean",
      default: false,
      description: "`true`: the figures of drills, apart; without it (`false`) live alerts only",
    },
  },
} as const;

const count = { type: "integer" } as const;
const figure = (description: string) => ({ type: ["number", "null"], description }) as const;

export const analyticsFigures = {
  type: "object",
  properties: {
    alerts: count,
    targeted: { ...count, description: "Participants with an alert message, as in the alert report" },
    reached: { ...count, description: "Participants who answered, got voicemail, or had an SMS delivered" },
    reachedPct: figure("reached / targeted × 100; null without targets"),
    calls: count,
    answered: { ...count, description: "Calls answered by a person" },
    answeredPct: figure("answered / calls × 100"),
    eyesInArea: figure(
      'Participants who said they are near ("are you nearby now?"), over the alerts that asked; null when none did',
    ),
    tips: count,
    tipsPer1000Reached: figure("tips / reached × 1,000"),
    putThrough: { ...count, description: "Calls put through to the meldkamer" },
    medianSecondsToFirstTip: figure("Median over the alerts with a tip of the time from creation to the first"),
    closed: { ...count, description: "Alerts closed with an outcome" },
    found: count,
    foundPct: figure("found / closed × 100"),
    costEur: figure(
      "What the carrier charged for the calls and SMS (closing ones included), in euros: the sum of the alert " +
        "reports' `cost.eur`; null until the carrier has priced one",
    ),
    costPerAlertEur: figure("costEur / alerts, to the cent"),
    costPerTipEur: figure("costEur / tips, to the cent; null without tips"),
  },
} as const;

export const analyticsOutput = {
  type: "object",
  properties: {
    from: { type: "string" },
    to: { type: "string" },
    groupBy: { type: "string", enum: [...GROUP_BY] },
    drill: { type: "boolean", description: "Whether these are the figures of drills (`?drill=true`) or live alerts" },
    groups: {
      type: "array",
      items: {
        type: "object",
        properties: {
          key: { type: "string", description: "The unit code, kind, channel, hour (00–23, Amsterdam) or language" },
          drill: { type: "boolean", description: "Drills are counted apart from live alerts" },
          ...analyticsFigures.properties,
        },
      },
    },
    totals: {
      type: "array",
      description: "Over all the groups' alerts, once per drill flag: the sums of the alert reports",
      items: { type: "object", properties: { drill: { type: "boolean" }, ...analyticsFigures.properties } },
    },
  },
} as const;
