import type { ChannelGate } from "./channel-gate.js";
import { haltQueries } from "./halt-queries.js";
import type { Channel } from "./pace.js";
import { housekeeping } from "./queries.js";
import { reconcileLostAnswers, settleLostCallbacks, type ReconcileDeps } from "./reconcile.js";

export interface UpkeepDeps extends ReconcileDeps {
  housekeepingMs: number;
  gates: Record<Channel, ChannelGate>;
  /** Bumped by every local halt, so that a halt read from the database just before it cannot undo it. */
  haltGeneration: Record<Channel, number>;
  releaseHeld: (channel: Channel) => Promise<void>;
  live: () => boolean;
  sleep: (ms: number) => Promise<void>;
}

/** Another instance halted or resumed a channel: follow it. */
async function followHalts(deps: UpkeepDeps) {
  const { gates, haltGeneration } = deps;
  const generation = { ...haltGeneration };
  for (const row of (await haltQueries.state(deps.db)).rows) {
    const gate = gates[row.channel];
    if (row.halted_at && gate.reason !== "halted" && gate.halt()) await deps.releaseHeld(row.channel);
    else if (!row.halted_at && gate.reason === "halted" && generation[row.channel] === haltGeneration[row.channel])
      gate.answered();
  }
}

/**
 * The dispatcher's second loop, while it is live: lost answers and lost callbacks asked of the carrier, halts of
 * other instances followed, housekeeping (queries.ts).
 */
export async function upkeepLoop(deps: UpkeepDeps) {
  while (deps.live()) {
    for (const step of [
      () => reconcileLostAnswers(deps),
      () => settleLostCallbacks(deps),
      () => followHalts(deps),
      () => housekeeping(deps.db),
    ]) {
      try {
        await step();
      } catch (err) {
        if (!deps.live()) return;
        deps.log.error({ err }, "reconcile error");
      }
    }
    await deps.sleep(deps.housekeepingMs);
  }
}
