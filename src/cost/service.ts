import type { Principal } from "../access/keys.js";
import type { TargetingInput } from "../alerts/targeting.js";
import type { Db, Queryable } from "../db/db.js";
import { Errors, withDetails } from "../errors.js";
import type { SegmentInfo } from "../rules/sms-segments.js";
import type { CostConfig } from "./config.js";
import { expectedCost, type CostCounts, type ExpectedCost } from "./estimate.js";
import { euros } from "./prices.js";
import type { Pricing } from "./pricing.js";
import { costQueries as q } from "./queries.js";

export { actualCost } from "./actual.js";

export interface Budget {
  monthlyEur: number;
  spentEur: number;
  thisAlertEur: number;
  remainingEur: number;
  wouldExceed: boolean;
  needsAdminKey: boolean;
}

/** The expected cost of an alert and the police unit's monthly budget: the preview shows both, create enforces it. */
export function createCosts(deps: { db: Db; pricing: Pricing; config: CostConfig; clock: () => Date }) {
  const { db, pricing, config, clock } = deps;
  const budgetOf = (region: string): number | undefined =>
    config.monthlyBudgetEur[region] ?? config.monthlyBudgetEur["*"];

  async function estimate(tx: Queryable, t: TargetingInput, sms: Record<string, SegmentInfo>) {
    const rows = await q.counts(tx, t);
    const counts: CostCounts = {
      voiceMobile: rows.reduce((n, r) => n + r.voice_mobile, 0),
      voiceFixed: rows.reduce((n, r) => n + r.voice_fixed, 0),
      // A language the alert has no text in gets the Dutch text, and its segments.
      sms: rows
        .filter((r) => r.sms > 0)
        .map((r) => ({ language: r.language, messages: r.sms, segments: (sms[r.language] ?? sms.nl).segments })),
      closingSms: rows.reduce((n, r) => n + r.closing_sms, 0),
      closingCalls: rows.reduce((n, r) => n + r.closing_calls, 0),
    };
    return expectedCost(counts, await pricing.table(), config);
  }

  async function budget(tx: Queryable, region: string, cost: ExpectedCost | null, principal: Principal) {
    const monthlyEur = budgetOf(region);
    if (monthlyEur === undefined) return null;
    const spentEur = euros(await q.monthSpentEur(tx, region, clock()));
    const thisAlertEur = cost?.eur ?? 0;
    const wouldExceed = spentEur + thisAlertEur > monthlyEur;
    return {
      monthlyEur,
      spentEur,
      thisAlertEur,
      remainingEur: euros(monthlyEur - spentEur),
      wouldExceed,
      needsAdminKey: wouldExceed && principal.role !== "admin",
    } satisfies Budget;
  }

  return {
    /** For the preview: the expected cost with its basis, and the unit's budget (null when none is set). */
    async preview(t: TargetingInput, sms: Record<string, SegmentInfo>, region: string, principal: Principal) {
      const cost = await estimate(db, t, sms);
      return { cost, budget: await budget(db, region, cost, principal) };
    },

    /** Creating or dispatching: an alert that would cross the unit's monthly budget needs an admin key. */
    async refuseOverBudget(
      tx: Queryable,
      t: TargetingInput,
      sms: Record<string, SegmentInfo>,
      region: string,
      principal: Principal,
    ) {
      if (budgetOf(region) === undefined || principal.role === "admin") return;
      const b = (await budget(tx, region, await estimate(tx, t, sms), principal))!;
      if (!b.needsAdminKey) return;
      throw withDetails(
        new Errors.BudgetExceeded(
          `This alert would cost about €${b.thisAlertEur.toFixed(2)} and cross unit ${region}'s monthly budget ` +
            `(€${b.spentEur.toFixed(2)} of €${b.monthlyEur.toFixed(2)} spent); it needs an admin key`,
        ),
        b,
      );
    },
  };
}

export type Costs = ReturnType<typeof createCosts>;
