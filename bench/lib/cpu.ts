import { readFileSync } from "node:fs";
import pg from "pg";

const TICK_S = 0.01; // USER_HZ is 100 on Linux

/** utime + stime of a process in seconds, or null when it is gone. */
function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_S;
  } catch {
    return null;
  }
}

/** Busy seconds of the whole machine (all cores) from /proc/stat. */
function machineBusySeconds(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = line;
  return (user + nice + system + irq + softirq + (steal ?? 0)) * TICK_S;
}

export type PidSource = () => Promise<number[]> | number[];

/** PostgreSQL backends serving connections that set this application_name (PGAPPNAME). */
export function backendsOf(connectionString: string, applicationName: string): PidSource {
  return async () => {
    const c = new pg.Client({ connectionString });
    await c.connect();
    try {
      return (
        await c.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = $1", [
          applicationName,
        ])
      ).rows.map((r) => r.pid);
    } finally {
      await c.end();
    }
  };
}

/**
 * CPU used by labelled groups of processes over a stretch of time, sampled every second so that processes that come
 * and go (pool connections) are counted from when they are first seen. Shows where the cores went.
 */
export function cpuMeter(groups: Record<string, PidSource>) {
  const last = new Map<number, number>();
  const used: Record<string, number> = Object.fromEntries(Object.keys(groups).map((k) => [k, 0]));
  let machine0 = 0;
  let t0 = 0;
  let timer: NodeJS.Timeout | undefined;
  let sampling: Promise<void> = Promise.resolve();

  async function sample() {
    for (const [label, source] of Object.entries(groups)) {
      for (const pid of await source()) {
        const now = cpuSeconds(pid);
        if (now === null) continue;
        const before = last.get(pid);
        if (before !== undefined) used[label] += now - before;
        last.set(pid, now);
      }
    }
  }

  return {
    async start() {
      t0 = performance.now();
      machine0 = machineBusySeconds();
      await sample();
      timer = setInterval(() => {
        sampling = sampling.then(sample).catch(() => {});
      }, 1000);
    },
    /** Cores used per group (1.0 = one core busy all the time), and by the whole machine. */
    async stop(): Promise<{ wallS: number; cores: Record<string, number>; machine: number }> {
      clearInterval(timer);
      await sampling;
      await sample();
      const wallS = (performance.now() - t0) / 1000;
      const cores = Object.fromEntries(Object.entries(used).map(([k, v]) => [k, v / wallS]));
      return { wallS, cores, machine: (machineBusySeconds() - machine0) / wallS };
    },
  };
}

export function formatCores(r: { cores: Record<string, number>; machine: number }): string {
  const ours = Object.values(r.cores).reduce((a, b) => a + b, 0);
  const parts = Object.entries(r.cores).map(([k, v]) => `${k} ${v.toFixed(2)}`);
  return `${parts.join(", ")}, everything else ${Math.max(0, r.machine - ours).toFixed(2)} (cores busy; machine total ${r.machine.toFixed(2)})`;
}
