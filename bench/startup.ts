// The service at ready, as `npm start` runs it (node dist/server.js) and as it ran before the build (under tsx).
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ensureBuilt } from "../test/main/built.js";
import { createSchema } from "./lib/database.js";
import { freePort } from "./lib/children.js";
import { median, sleep } from "./lib/stats.js";
import { metric, type BenchContext, type Scenario } from "./lib/types.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const RUNS = 4;
const TSX = ["--max-semi-space-size=4", "--import", "tsx", "src/server.ts"];
/** tsx keeps compiled files in a cache under the temp dir; a fresh container has none (`cold`: cache disabled). */
const WAYS = {
  built: { args: ["--max-semi-space-size=4", "dist/server.js"], env: {} },
  tsxCold: { args: TSX, env: { TSX_DISABLE_CACHE: "1" } },
  tsxWarm: { args: TSX, env: {} },
} as const;
type Way = keyof typeof WAYS;

const kb = (pid: number) => {
  try {
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
};
/** tsx runs esbuild as a child process: the service's memory is its whole process tree. */
function descendants(pid: number): number[] {
  const kids = readdirSync(`/proc/${pid}/task`).flatMap((t) => {
    try {
      return readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
  return kids.flatMap((k) => [k, ...descendants(k)]);
}

async function once(way: Way, databaseUrl: string) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child = spawn(process.execPath, [...WAYS[way].args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      PUBLIC_URL: url,
      LOG_LEVEL: "warn",
      // A carrier is configured but never asked: nothing is due at start.
      TWILIO_ACCOUNT_SID: `AC${"0".repeat(32)}`,
      TWILIO_AUTH_TOKEN: "0123456789abcdef0123",
      TWILIO_API_URL: "http://127.0.0.1:9",
      ...WAYS[way].env,
    },
    stdio: "ignore",
  });
  const exited = new Promise((r) => child.once("exit", r));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${way}: the service exited before it was ready`);
      if (performance.now() - t0 > 60_000) throw new Error(`${way}: not ready in 60 s`);
      const ok = await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await sleep(25);
    }
    const readyMs = performance.now() - t0;
    await sleep(2_000); // whatever the start-up left to settle (timers of the dispatcher, first GC)
    const tree = [child.pid!, ...descendants(child.pid!)];
    const nodeMb = kb(child.pid!) / 1024;
    const treeMb = tree.reduce((sum, pid) => sum + kb(pid), 0) / 1024;
    return { readyMs, nodeMb, treeMb, processes: tree.length };
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

const r0 = (v: number) => Math.round(v);

export const startup: Scenario = {
  name: "startup",
  title: "Memory and time to ready: node dist/server.js (npm start) vs the same service under tsx",
  async run(ctx: BenchContext) {
    ensureBuilt();
    const schema = await createSchema(ctx.database, "startup", 2);
    try {
      const runs: Record<Way, Awaited<ReturnType<typeof once>>[]> = { built: [], tsxCold: [], tsxWarm: [] };
      const order: Way[] = ["built", "tsxCold", "tsxWarm"];
      for (let i = 0; i < RUNS; i++)
        for (const way of i % 2 ? [...order].reverse() : order) runs[way].push(await once(way, schema.url));
      const m = (way: Way, k: "readyMs" | "nodeMb" | "treeMb") => median(runs[way].map((r) => r[k]));
      const mb = (way: Way) => `${r0(m(way, "treeMb"))} MB`;
      const ratio = (way: Way) => Math.round((m("built", "treeMb") / m(way, "treeMb")) * 100) / 100;
      ctx.log(`built ${mb("built")}, tsx cold ${mb("tsxCold")}, tsx warm ${mb("tsxWarm")}`);
      const target = { op: "<=" as const, value: 0.75, text: "≤ 0.75" };
      return {
        metrics: [
          metric("RSS at ready, node dist/server.js ÷ tsx in a fresh container (no tsx cache)", ratio("tsxCold"), "×", {
            digits: 2,
            target,
            detail: `${mb("built")} vs ${mb("tsxCold")} (process trees, median of ${RUNS} starts each)`,
          }),
          metric("RSS at ready, node dist/server.js ÷ tsx with its compile cache warm", ratio("tsxWarm"), "×", {
            digits: 2,
            target,
            detail: `${mb("built")} vs ${mb("tsxWarm")}`,
          }),
          metric("time to /readyz 200, node dist/server.js", r0(m("built", "readyMs")), "ms", {
            detail: `tsx cold ${r0(m("tsxCold", "readyMs"))} ms, warm ${r0(m("tsxWarm", "readyMs"))} ms (migrations already applied)`,
          }),
        ],
        notes: [
          `Each way started ${RUNS} times, interleaved, with the same environment (a migrated schema on ${ctx.database.version}, ` +
            "a configured but idle carrier, `--max-semi-space-size=4` as `npm start`); RSS read from /proc 2 s after /readyz " +
            "first answered 200, summed over the process tree (tsx runs esbuild as a second process: " +
            `${runs.tsxCold[0]?.processes ?? "?"} processes; the built service is one). "Cold" disables tsx's compile cache ` +
            "(TSX_DISABLE_CACHE=1), as in a fresh container where the old image's `npm start` compiled every file at boot; " +
            '"warm" reuses the cache a previous start left in the temp dir, as on a developer\'s machine. Node alone: built ' +
            `${r0(m("built", "nodeMb"))} MB, tsx cold ${r0(m("tsxCold", "nodeMb"))} MB, warm ${r0(m("tsxWarm", "nodeMb"))} MB.`,
          `All starts (MB of the tree) — built: ${runs.built.map((r) => r0(r.treeMb)).join(", ")}; tsx cold: ` +
            `${runs.tsxCold.map((r) => r0(r.treeMb)).join(", ")}; tsx warm: ${runs.tsxWarm.map((r) => r0(r.treeMb)).join(", ")}.`,
        ],
      };
    } finally {
      await schema.drop();
    }
  },
};
