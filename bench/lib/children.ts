import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { ensureBuilt } from "../../test/main/built.js";
import type { EmulatorProcessConfig, EmulatorRequest } from "./emulator-process.js";
import { sleep } from "./stats.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** The node flags of `npm start` (package.json): the service is measured as it is run. */
const START_FLAGS = ["--max-semi-space-size=4"];

/**
 * The loop monitor as plain JavaScript, for a child that runs compiled code without tsx: the monitor imports only
 * node's own modules, so transpiling the one file is enough.
 */
let monitorJs: string | undefined;
function loopMonitorJs(): string {
  if (monitorJs) return monitorJs;
  const source = readFileSync(join(ROOT, "bench/lib/loop-monitor.ts"), "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const dir = mkdtempSync(join(tmpdir(), "bench-monitor-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  monitorJs = join(dir, "loop-monitor.mjs");
  writeFileSync(monitorJs, outputText);
  return monitorJs;
}

/**
 * A node child running `file`: TypeScript under tsx, or (a file under dist/) compiled JavaScript as `npm start` runs
 * it. No npm in between, so the pid is the process measured.
 */
function spawnTs(
  file: string,
  env: Record<string, string>,
  ipc = false,
  nodeFlags: string[] = [],
  cpus?: string,
): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  logCounts: () => LogCounts;
  firstWarnings: () => string[];
} {
  const compiled = file.startsWith("dist/");
  const monitor = env.BENCH_LOOP_FILE
    ? ["--import", compiled ? pathToFileURL(loopMonitorJs()).href : "./bench/lib/loop-monitor.ts"]
    : [];
  const node = [process.execPath, ...nodeFlags, ...(compiled ? [] : ["--import", "tsx"]), ...monitor, file];
  // taskset execs node: the pid measured is still the service's.
  const [command, ...args] = cpus ? ["taskset", "-c", cpus, ...node] : node;
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdio: ["ignore", "pipe", "pipe", ...(ipc ? ["ipc" as const] : [])],
  });
  let out = "";
  // Warning and error lines over the whole life of the process (the output kept is only its tail).
  // Log lines at warn or above over the whole life of the process (the output kept is only its tail): errors,
  // requests logged at warn because they were slow (LOG_SLOW_REQUEST_SECONDS), and other warnings.
  const counts = { errors: 0, slowRequests: 0, warnings: 0 };
  const firstWarnings: string[] = [];
  let partial = "";
  const keep = (d: Buffer) => {
    const text = d.toString();
    out = (out + text).slice(-20_000);
    const lines = (partial + text).split("\n");
    partial = lines.pop() ?? "";
    for (const l of lines) {
      if (/"level":(50|60)/.test(l)) counts.errors++;
      else if (!/"level":40/.test(l)) continue;
      else if (/"msg":"request"/.test(l) && /"status":[1-3]\d\d/.test(l)) {
        counts.slowRequests++;
        continue;
      } else counts.warnings++;
      if (firstWarnings.length < 3) firstWarnings.push(l.slice(0, 400));
    }
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return {
    child,
    output: () => out,
    exited,
    logCounts: () => ({ ...counts }),
    firstWarnings: () => [...firstWarnings],
  };
}

export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
  mean: number;
  /** V8 heap at the last sample, and the lowest heapUsed of each 10 s since the measured part began (MB). */
  heap?: { usedMb: number; totalMb: number; externalMb: number; arrayBuffersMb: number; troughs: number[] };
  /** Garbage-collection pauses since the measured part began: count, total and longest (ms). */
  gc?: Record<"minor" | "major", { n: number; ms: number; max: number }>;
  /** Call requests this process sent, and the most begun in any 1 s window (the sender's side of the CPS). */
  callsSent?: { n: number; maxInSecond: number };
}

/** A temporary file the child's loop monitor writes to, and its last figures (ms). */
export function loopFile(name: string): { path: string; read(): LoopDelay | null; remove(): void } {
  // In memory where there is /dev/shm: nothing the monitor writes waits for the disk.
  const dir = existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
  const path = join(dir, `bench-loop-${name}-${randomBytes(4).toString("hex")}.json`);
  return {
    path,
    read() {
      try {
        return JSON.parse(readFileSync(path, "utf8")) as LoopDelay;
      } catch {
        return null;
      }
    },
    /** After the child has exited (it rewrites the file every second until then). */
    remove: () => rmSync(path, { force: true }),
  };
}

/** VmRSS and VmHWM (peak) of a process, in MB, from /proc. */
export function memoryOf(pid: number): { rssMb: number; hwmMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    return { rssMb: kb("VmRSS") / 1024, hwmMb: kb("VmHWM") / 1024 };
  } catch {
    return null;
  }
}

export interface EmulatorChild {
  url: string;
  pid: number;
  accountSid: string;
  authToken: string;
  starts(): Promise<number[]>;
  counts(): Promise<{ calls: number; numbers: number }>;
  /** [number called, start time] of every call. */
  startsByNumber(): Promise<[string, number][]>;
  /** Calls placed per delivery id. */
  perDelivery(): Promise<Record<string, number>>;
  warmUp(): Promise<void>;
  close(): Promise<void>;
}

export async function startEmulatorChild(
  opts: Omit<EmulatorProcessConfig, "accountSid" | "authToken">,
  env: Record<string, string> = {},
): Promise<EmulatorChild> {
  const config: EmulatorProcessConfig = {
    accountSid: `AC${randomBytes(16).toString("hex")}`,
    authToken: randomBytes(16).toString("hex"),
    ...opts,
  };
  const { child, output, exited } = spawnTs(
    "bench/lib/emulator-process.ts",
    { BENCH_EMULATOR: JSON.stringify(config), ...env },
    true,
    process.env.BENCH_EMULATOR_NODE_FLAGS?.split(" ").filter(Boolean) ?? [],
  );
  let nextId = 1;
  const waiting = new Map<number, (m: never) => void>();
  const ready = new Promise<string>((resolve, reject) => {
    child.on("message", (m: { ready?: boolean; url?: string; id?: number }) => {
      if (m.ready) resolve(m.url!);
      else if (m.id !== undefined) {
        waiting.get(m.id)?.(m as never);
        waiting.delete(m.id);
      }
    });
    void exited.then((code) => reject(new Error(`emulator exited (${code}):\n${output()}`)));
  });
  const url = await ready;
  const ask = <T>(type: EmulatorRequest["type"]) =>
    new Promise<T>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve as (m: never) => void);
      child.send({ id, type } satisfies EmulatorRequest);
    });
  return {
    url,
    pid: child.pid!,
    accountSid: config.accountSid,
    authToken: config.authToken,
    starts: async () => (await ask<{ starts: number[] }>("starts")).starts,
    counts: () => ask("counts"),
    startsByNumber: async () => (await ask<{ starts: [string, number][] }>("startsByNumber")).starts,
    perDelivery: async () => (await ask<{ per: Record<string, number> }>("perDelivery")).per,
    warmUp: () => ask("warmup"),
    async close() {
      if (child.exitCode !== null) return;
      await Promise.race([ask("close"), sleep(10_000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

export interface LogCounts {
  errors: number;
  /** Requests logged at warn only because they took longer than LOG_SLOW_REQUEST_SECONDS. */
  slowRequests: number;
  warnings: number;
}

export interface ServiceChild {
  url: string;
  pid: number;
  output(): string;
  /** Log lines at warn or above since it started, and the first three that are not slow requests. */
  logCounts(): LogCounts;
  firstWarnings(): string[];
  stop(): Promise<void>;
}

/**
 * The CPUs the service may run on (`BENCH_SERVICE_CPUS`, a taskset list such as "0" or "0,1"), for the scaling runs:
 * PostgreSQL, the emulator and the bench keep the whole machine.
 */
export const serviceCpus = () => process.env.BENCH_SERVICE_CPUS || undefined;

/**
 * The service in a child process, configured only through its environment, ready when /healthz answers: src/server.ts
 * under tsx, or `compiled`, dist/server.js as `npm start` runs it in production (built first when a source is newer).
 */
export async function startServiceChild(
  env: Record<string, string>,
  { compiled = false }: { compiled?: boolean } = {},
): Promise<ServiceChild> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  if (compiled) ensureBuilt();
  const { child, output, exited, logCounts, firstWarnings } = spawnTs(
    compiled ? "dist/server.js" : "src/server.ts",
    {
      PORT: String(port),
      HOST: "127.0.0.1",
      PUBLIC_URL: url,
      LOG_LEVEL: "warn",
      PGAPPNAME: "bench-service",
      ...env,
    },
    false,
    [...START_FLAGS, ...(process.env.BENCH_SERVICE_NODE_FLAGS?.split(" ").filter(Boolean) ?? [])],
    serviceCpus(),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; ; i++) {
    if (gone) throw new Error(`the service exited before it was ready:\n${output()}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 600) throw new Error(`the service did not become ready in 60 s:\n${output()}`);
    await sleep(100);
  }
  return {
    url,
    pid: child.pid!,
    output,
    logCounts,
    firstWarnings,
    async stop() {
      if (gone) return;
      child.kill("SIGTERM");
      const done = await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]);
      if (!done) {
        child.kill("SIGKILL");
        await exited;
      }
    },
  };
}

/** Any TypeScript entry of ours in a child, e.g. the bare Fastify server. */
export async function startTsChild(
  file: string,
  env: Record<string, string>,
  readyUrl: string,
): Promise<{ pid: number; stop(): Promise<void> }> {
  const { child, output, exited } = spawnTs(file, env);
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; ; i++) {
    if (gone) throw new Error(`${file} exited before it was ready:\n${output()}`);
    try {
      if ((await fetch(readyUrl)).status < 500) break;
    } catch {
      // not listening yet
    }
    if (i > 300) throw new Error(`${file} did not become ready:\n${output()}`);
    await sleep(100);
  }
  return {
    pid: child.pid!,
    async stop() {
      if (gone) return;
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(5_000)]);
      if (!gone) child.kill("SIGKILL");
    },
  };
}
