import type { BenchDatabase } from "./database.js";
import type { PopulationFixture } from "./fixture.js";

/** A target from DESIGN.md §8, checked against a measured value. */
export interface Target {
  op: "<" | "<=" | ">=" | "within";
  value: number;
  /** For "within": the allowed relative distance from `value` (0.02 = 2%). */
  tolerance?: number;
  text: string;
}

export interface Metric {
  label: string;
  /** null: not measured (see the detail for why). */
  value: number | null;
  unit: string;
  digits?: number;
  target?: Target;
  /** The verdict, from the target; null when there is no target or no value. */
  pass?: boolean | null;
  detail?: string;
}

export interface ScenarioOutcome {
  metrics: Metric[];
  notes: string[];
  /** Which databases the figures come from, when not only the run's own. */
  database?: string;
}

export interface BenchContext {
  /** The database the run uses: DATABASE_URL's server, or an embedded one started for the run. */
  database: BenchDatabase;
  log(message: string): void;
  /** The national population (DEFAULT_SPEC, 3,000,000 participants), loaded once per run on `database` and shared by scenarios. */
  population(): Promise<PopulationFixture>;
}

export interface Scenario {
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<ScenarioOutcome>;
}

export interface ScenarioReport extends ScenarioOutcome {
  name: string;
  title: string;
  startedAt: string;
  seconds: number;
  database: string;
  machine: MachineInfo;
  error?: string;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  os: string;
  /** 1-minute load average at the start and the end: other processes share this machine. */
  loadStart: number;
  loadEnd?: number;
  commit: string;
}

export function judge(value: number | null, target: Target | undefined): boolean | null {
  if (!target || value === null || !Number.isFinite(value)) return null;
  switch (target.op) {
    case "<":
      return value < target.value;
    case "<=":
      return value <= target.value;
    case ">=":
      return value >= target.value;
    case "within":
      return Math.abs(value - target.value) <= (target.tolerance ?? 0) * target.value;
  }
}

export function metric(
  label: string,
  value: number | null,
  unit: string,
  extra: Omit<Metric, "label" | "value" | "unit"> = {},
): Metric {
  return { label, value, unit, ...extra, pass: extra.pass ?? judge(value, extra.target) };
}
