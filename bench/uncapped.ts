import { formatCores } from "./lib/cpu.js";
import { DISPATCH_METHOD } from "./lib/dispatch-notes.js";
import { dispatchRun, loopsText, writesPerCall, type DispatchRunSpec } from "./lib/dispatch-run.js";
import { steadyRate } from "./lib/stats.js";
import { metric, type BenchContext, type Metric, type Scenario } from "./lib/types.js";
import { fmt, placed } from "./pace.js";

/** The configuration's maximum DISPATCH_CPS stands for "uncapped" (the emulator is uncapped too). */
export const UNCAPPED = 10_000;

const RUNS: DispatchRunSpec[] = [
  { label: "uncapped, webhooks to a sink", cps: UNCAPPED, participants: 15_000, sink: true, timeoutS: 45 },
  { label: "uncapped, full call flow", cps: UNCAPPED, participants: 6_000, sink: false, timeoutS: 40 },
];

export const uncapped: Scenario = {
  name: "uncapped",
  title: "Uncapped dispatch: calls started per second, and where the CPU goes",
  async run(ctx: BenchContext) {
    const metrics: Metric[] = [];
    const notes: string[] = [];
    for (const spec of RUNS) {
      ctx.log(`uncapped: ${spec.label}, ${fmt(spec.participants)} participants`);
      const r = await dispatchRun(ctx.database, spec, ctx.log);
      const steady = steadyRate(r.starts, 1000);
      metrics.push(
        metric(`${spec.label}: calls started per second`, steady.rate, "calls/s", {
          target: { op: ">=", value: 1000, text: "≥ 1,000 calls/s" },
          detail: `${placed(r)}; steady over ${fmt(steady.spanMs / 1000, 1)} s`,
        }),
      );
      const busy = r.cpu.cores;
      const perCall = (cores: number) => fmt((cores / steady.rate) * 1000, 2);
      notes.push(
        `${spec.label}: CPU ${formatCores(r.cpu)}; per call started: service ${perCall(busy.service)} ms, its PostgreSQL ` +
          `backends ${perCall(busy["its PostgreSQL backends"])} ms, emulator ${perCall(busy.emulator)} ms of CPU. Row writes per call: ` +
          `${writesPerCall(r)}; ${loopsText(r)}.${r.serviceErrors ? ` Service log: ${r.serviceErrors}.` : ""}`,
      );
    }
    notes.push(`Uncapped = DISPATCH_CPS ${fmt(UNCAPPED)}, the configuration's maximum.`, ...DISPATCH_METHOD);
    return { metrics, notes };
  },
};
