import { DAM } from "./areas.js";
import { loopFile, memoryOf, startEmulatorChild, startServiceChild, type LoopDelay } from "./children.js";
import { backendsOf, cpuMeter } from "./cpu.js";
import { createSchema, type BenchDatabase } from "./database.js";
import { createAlert, operatorKey, seedCircle } from "./seed.js";
import { sleep } from "./stats.js";
import { captureCallRequests } from "../../src/sim/wire-capture.js";
import type { Db } from "../../src/db/db.js";
import { createApiKey } from "../../src/access/keys.js";

export interface DispatchRunSpec {
  label: string;
  /** DISPATCH_CPS of the service (10,000, the configuration's maximum, stands for uncapped). */
  cps: number;
  participants: number;
  /** Webhooks to a sink in the emulator's process instead of the service: the dispatcher measured alone. */
  sink: boolean;
  personas?: "listen" | "population";
  /** Give up waiting for all calls after this long (the rates are still computed from what started). */
  timeoutS: number;
  timeScale?: number;
  /** Sample the service's memory every this many ms. */
  memorySampleMs?: number;
  /** Run the service as production does (node dist/server.js, `npm start`) rather than under tsx. */
  compiled?: boolean;
  /** Also time each call request where it reached the carrier's host (tcpdump on lo, wire-capture.ts). */
  wire?: boolean;
}

export interface DispatchRunResult {
  spec: DispatchRunSpec;
  /** When POST /v1/alerts was sent and answered (epoch ms). */
  sentAt: number;
  answeredAt: number;
  /** Call start times at the emulator (epoch ms, fractional), in start order. */
  starts: number[];
  /** When each call request reached the carrier's host (epoch ms), if captured (spec.wire and tcpdump could run). */
  wireStarts: number[] | null;
  calls: number;
  numbers: number;
  completed: boolean;
  cpu: { wallS: number; cores: Record<string, number>; machine: number };
  /** The service's RSS when ready (before the alert), its peak (VmHWM), the largest VmRSS sampled and the samples, MB. */
  memory: { baselineMb: number; hwmMb: number; maxRssMb: number; samples: number[] };
  serviceErrors: string;
  /** Event-loop delay of the service and of the emulator over the run (ms). */
  loops: { service: LoopDelay | null; emulator: LoopDelay | null };
  /** Row writes per table during the run (pg_stat_user_tables), to see what the database did per call. */
  writes: Record<string, { ins: number; upd: number; hot: number }>;
  /** Voice start slots that passed unused, by reason (the service's burgernet_dispatch_slots_lost_total). */
  slotsLost: Record<string, number>;
}

/** The service's lost voice slots by reason, from its /metrics. */
async function slotsLostOf(serviceUrl: string, metricsKey: string): Promise<Record<string, number>> {
  const res = await fetch(`${serviceUrl}/metrics`, { headers: { authorization: `Bearer ${metricsKey}` } });
  const lost: Record<string, number> = {};
  for (const m of (await res.text()).matchAll(
    /^burgernet_dispatch_slots_lost_total\{channel="voice",reason="(\w+)"\} (\d+)/gm,
  ))
    lost[m[1]] = Number(m[2]);
  return lost;
}

/** "12 (take 9, timer 3)" */
export function slotsLostText(lost: Record<string, number>): string {
  const total = Object.values(lost).reduce((a, b) => a + b, 0);
  const parts = Object.entries(lost).map(([reason, n]) => `${reason} ${n}`);
  return `${total}${parts.length ? ` (${parts.join(", ")})` : ""}`;
}

async function tableWrites(db: { query: Db["query"] }, schema: string) {
  const rows = (
    await db.query<{ relname: string; ins: number; upd: number; hot: number }>(
      `SELECT relname, n_tup_ins AS ins, n_tup_upd AS upd, n_tup_hot_upd AS hot FROM pg_stat_user_tables
      WHERE schemaname = $1 AND n_tup_ins + n_tup_upd > 0`,
      [schema],
    )
  ).rows;
  return Object.fromEntries(rows.map((r) => [r.relname, { ins: r.ins, upd: r.upd, hot: r.hot }]));
}

/** "deliveries 2.0 updates, pace 1.2 updates, call_events 3.9 inserts" per call started. */
export function writesPerCall(r: Pick<DispatchRunResult, "calls" | "writes">): string {
  const n = Math.max(1, r.calls);
  // Seeding and alert creation are not dispatching: participants, locations and the deliveries' own inserts are left out.
  const seeded = new Set([
    "participants",
    "participant_locations",
    "regions",
    "api_keys",
    "alerts",
    "audit_log",
    "events",
    "schema_migrations",
  ]);
  return Object.entries(r.writes)
    .filter(([table]) => !seeded.has(table))
    .map(([table, w]) => [table, table === "deliveries" ? { ...w, ins: 0 } : w] as const)
    .filter(([, w]) => (w.ins + w.upd) / n >= 0.05)
    .map(
      ([table, w]) =>
        `${table} ${[w.ins ? `${(w.ins / n).toFixed(1)} inserts` : "", w.upd ? `${(w.upd / n).toFixed(1)} updates` : ""].filter(Boolean).join(" + ")}`,
    )
    .join(", ");
}

const TEXTS = {
  nl: {
    voice: "Burgernet. Vermist: een meisje van tien jaar met een rode jas, in de buurt van de Dam.",
    sms: "Vermist meisje (10), rode jas, bij de Dam. Gezien? Bel 112.",
  },
};
const FAKE_PUBLIC_URL = "https://burgernet.bench";

/**
 * One alert dispatched by the real service (src/server.ts in a child process, on a fresh schema) through the real
 * twilio SDK to the emulator in another child process. The alert is created through the API; calls are timed where
 * the emulator received them.
 */
export async function dispatchRun(
  database: BenchDatabase,
  spec: DispatchRunSpec,
  log: (m: string) => void,
): Promise<DispatchRunResult> {
  const schema = await createSchema(database, "dispatch", 4);
  try {
    await seedCircle(schema.db, { n: spec.participants, center: DAM, radiusM: 2_000 });
    const key = await operatorKey(schema.db);
    const metricsKey = (await createApiKey(schema.db, { role: "metrics" })).key;
    const loops = { service: loopFile("service"), emulator: loopFile("emulator") };
    const emulator = await startEmulatorChild(
      {
        timeScale: spec.timeScale ?? 0.1,
        personas: spec.personas ?? "listen",
        sinkFor: spec.sink ? FAKE_PUBLIC_URL : undefined,
      },
      { BENCH_LOOP_FILE: loops.emulator.path },
    );
    try {
      const service = await startServiceChild(
        {
          DATABASE_URL: schema.url,
          TWILIO_ACCOUNT_SID: emulator.accountSid,
          TWILIO_AUTH_TOKEN: emulator.authToken,
          TWILIO_API_URL: emulator.url,
          DISPATCH_CPS: String(spec.cps),
          SMS_MPS: "10",
          QUIET_HOURS: "00:00-00:00", // the run must not depend on the hour: never quiet
          ...(spec.sink ? { PUBLIC_URL: FAKE_PUBLIC_URL } : {}),
          BENCH_LOOP_FILE: loops.service.path,
        },
        { compiled: spec.compiled },
      );
      try {
        const meter = cpuMeter({
          service: () => [service.pid],
          "its PostgreSQL backends": backendsOf(database.url, "bench-service"),
          emulator: () => [emulator.pid],
          "bench runner": () => [process.pid],
        });
        await emulator.warmUp();
        // The measured part begins: the loop monitors forget start-up.
        process.kill(service.pid, "SIGWINCH");
        process.kill(emulator.pid, "SIGWINCH");
        await meter.start();
        const memory = {
          baselineMb: memoryOf(service.pid)?.rssMb ?? NaN,
          hwmMb: 0,
          maxRssMb: 0,
          samples: [] as number[],
        };
        const memTimer = setInterval(() => {
          const m = memoryOf(service.pid);
          if (!m) return;
          memory.maxRssMb = Math.max(memory.maxRssMb, m.rssMb);
          memory.samples.push(Math.round(m.rssMb));
        }, spec.memorySampleMs ?? 1000);

        const wire = spec.wire ? await captureCallRequests(Number(new URL(emulator.url).port), log) : null;
        const alert = await createAlert(service.url, key, {
          kind: "missing_child",
          texts: TEXTS,
          channels: ["voice"],
          area: { type: "circle", center: DAM, radiusMeters: 2_050 },
        }).catch((err: Error) => {
          throw new Error(
            `creating the alert failed (${err.message}); service output:\n${service.output().slice(-3000)}`,
          );
        });
        log(
          `${spec.label}: alert created in ${alert.answeredAt - alert.sentAt} ms; ${spec.participants.toLocaleString("en")} calls to place`,
        );
        const deadline = Date.now() + spec.timeoutS * 1000;
        let counts = await emulator.counts();
        let lastLog = Date.now();
        while (counts.calls < spec.participants && Date.now() < deadline) {
          await sleep(500);
          counts = await emulator.counts();
          if (Date.now() - lastLog >= 15_000) {
            lastLog = Date.now();
            log(
              `${spec.label}: ${counts.calls.toLocaleString("en")} calls after ${((Date.now() - alert.sentAt) / 1000).toFixed(0)} s`,
            );
          }
        }
        clearInterval(memTimer);
        const cpu = await meter.stop();
        memory.hwmMb = memoryOf(service.pid)?.hwmMb ?? NaN;
        const starts = await emulator.starts();
        const wireStarts = (await wire?.stop()) ?? null;
        const errors = service
          .output()
          .split("\n")
          .filter((l) => /"level":(40|50|60)/.test(l));
        // Read before stopping: the figures of the run, not of the shutdown.
        await sleep(1100);
        const loopDelay = { service: loops.service.read(), emulator: loops.emulator.read() };
        const slotsLost = await slotsLostOf(service.url, metricsKey).catch(() => ({}));
        await service.stop();
        // The service's connections are closed: their statistics have been flushed.
        await sleep(600);
        return {
          spec,
          sentAt: alert.sentAt,
          answeredAt: alert.answeredAt,
          starts,
          wireStarts,
          calls: counts.calls,
          numbers: counts.numbers,
          completed: counts.calls >= spec.participants,
          cpu,
          memory,
          writes: await tableWrites(schema.db, schema.name),
          loops: loopDelay,
          slotsLost,
          serviceErrors: errors.length
            ? `${errors.length} warning/error log lines, e.g. ${errors[0].slice(0, 300)}`
            : "",
        };
      } finally {
        await service.stop();
      }
    } finally {
      await emulator.close();
      loops.service.remove();
      loops.emulator.remove();
    }
  } finally {
    await schema.drop();
  }
}

/** "service loop delay p99 12 ms (max 80), emulator p99 8 ms (max 30)". */
export function loopsText(r: Pick<DispatchRunResult, "loops">): string {
  const gc = (l: LoopDelay) =>
    l.gc
      ? ` (GC: ${l.gc.minor.n} minor pauses, ${l.gc.minor.ms} ms in all, longest ${l.gc.minor.max}; ` +
        `${l.gc.major.n} major, ${l.gc.major.ms} ms, longest ${l.gc.major.max})`
      : "";
  const one = (name: string, l: LoopDelay | null) =>
    l ? `${name} p50 ${l.p50} / p99 ${l.p99} / max ${l.max} ms${gc(l)}` : `${name} not measured`;
  return `event-loop delay: ${one("service", r.loops.service)}; ${one("emulator", r.loops.emulator)}`;
}
