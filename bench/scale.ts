// Scale: ten police units dispatching at once at 100 CPS (fair share, an urgent alert among them), and one alert of
// 100,000 participants at 167 CPS (Twilio's 10,000 calls a minute).
import { PACE_MARGIN } from "../src/dispatch/pace.js";
import { maxInWindow } from "../src/sim/pacer.js";
import { startEmulatorChild, startServiceChild } from "./lib/children.js";
import { dispatchRun, loopsText, slotsLostText } from "./lib/dispatch-run.js";
import { createSchema } from "./lib/database.js";
import { createAlert, operatorKey, seedCircle } from "./lib/seed.js";
import { sleep } from "./lib/stats.js";
import { fmt } from "./pace.js";
import { metric, type BenchContext, type Scenario } from "./lib/types.js";

/** A town centre inside each police unit (src/geo/data/regionale_eenheid_2025.geojson). */
const CENTRES: Record<string, { lat: number; lon: number }> = {
  RE01: { lat: 53.2194, lon: 6.5665 }, // Groningen
  RE02: { lat: 51.9851, lon: 5.8987 }, // Arnhem
  RE03: { lat: 52.0907, lon: 5.1214 }, // Utrecht
  RE04: { lat: 52.3874, lon: 4.6462 }, // Haarlem
  RE05: { lat: 52.3731, lon: 4.8926 }, // Amsterdam
  RE06: { lat: 52.0705, lon: 4.3007 }, // Den Haag
  RE07: { lat: 51.9225, lon: 4.4792 }, // Rotterdam
  RE08: { lat: 51.5719, lon: 4.7683 }, // Breda
  RE09: { lat: 51.4416, lon: 5.4697 }, // Eindhoven
  RE10: { lat: 50.8514, lon: 5.691 }, // Maastricht
};
const UNITS_CPS = 100;
const PER_UNIT = 800;
const URGENT = 50;
const TEXTS = { nl: { voice: "Burgernet. Let op: een grijze bestelbus.", sms: "Let op: grijze bestelbus." } };

export const units: Scenario = {
  name: "units",
  title:
    "Ten police units dispatching at once at 100 CPS: each unit's share per 10 s window; an urgent alert's first call",
  async run(ctx: BenchContext) {
    const schema = await createSchema(ctx.database, "units", 4);
    try {
      const names = Object.keys(CENTRES);
      const keys: Record<string, string> = {};
      for (const [i, unit] of names.entries()) {
        await seedCircle(schema.db, { n: PER_UNIT, center: CENTRES[unit], radiusM: 1_500, first: 1 + i * PER_UNIT });
        keys[unit] = await operatorKey(schema.db, unit);
      }
      // The urgent alert's participants: 3 km from Amsterdam's others, outside their circle.
      const urgentCentre = { lat: CENTRES.RE05.lat + 0.03, lon: CENTRES.RE05.lon };
      await seedCircle(schema.db, {
        n: URGENT,
        center: urgentCentre,
        radiusM: 300,
        first: 1 + names.length * PER_UNIT,
      });
      const unitOf = (phone: string) => {
        const serial = Number(phone.slice(5)) - 1;
        return serial >= names.length * PER_UNIT ? "urgent" : names[Math.floor(serial / PER_UNIT)];
      };
      const emulator = await startEmulatorChild({
        timeScale: 0.1,
        personas: "listen",
        sinkFor: "https://burgernet.bench",
      });
      try {
        const service = await startServiceChild({
          DATABASE_URL: schema.url,
          TWILIO_ACCOUNT_SID: emulator.accountSid,
          TWILIO_AUTH_TOKEN: emulator.authToken,
          TWILIO_API_URL: emulator.url,
          DISPATCH_CPS: String(UNITS_CPS),
          QUIET_HOURS: "00:00-00:00",
          PUBLIC_URL: "https://burgernet.bench",
        });
        try {
          await emulator.warmUp();
          const t0 = Date.now();
          for (const unit of names)
            await createAlert(service.url, keys[unit], {
              kind: "vehicle",
              channels: ["voice"],
              texts: TEXTS,
              area: { type: "circle", center: CENTRES[unit], radiusMeters: 1_600 },
            });
          await sleep(20_000);
          const urgent = await createAlert(service.url, keys.RE05, {
            kind: "suspect",
            priority: "urgent",
            channels: ["voice"],
            texts: TEXTS,
            area: { type: "circle", center: urgentCentre, radiusMeters: 400 },
          });
          const total = names.length * PER_UNIT + URGENT;
          const deadline = Date.now() + 180_000;
          while ((await emulator.counts()).calls < total && Date.now() < deadline) await sleep(1_000);
          const starts = (await emulator.startsByNumber()).map(([to, at]) => ({ unit: unitOf(to), at }));
          return unitsReport(starts, names, { t0, urgentSentAt: urgent.sentAt, total });
        } finally {
          await service.stop();
        }
      } finally {
        await emulator.close();
      }
    } finally {
      await schema.drop();
    }
  },
};

function unitsReport(
  starts: { unit: string; at: number }[],
  names: string[],
  { urgentSentAt, total }: { t0: number; urgentSentAt: number; total: number },
) {
  const normal = starts.filter((s) => s.unit !== "urgent").sort((a, b) => a.at - b.at);
  // While every unit still has work: from the latest first start to the earliest last start.
  const firsts = names.map((u) => Math.min(...normal.filter((s) => s.unit === u).map((s) => s.at)));
  const lasts = names.map((u) => Math.max(...normal.filter((s) => s.unit === u).map((s) => s.at)));
  const from = Math.max(...firsts);
  const to = Math.min(...lasts);
  let worst = 0;
  const windows: string[] = [];
  for (let w = from; w + 10_000 <= to; w += 10_000) {
    const inside = normal.filter((s) => s.at >= w && s.at < w + 10_000);
    const fair = inside.length / names.length;
    const shares = names.map((u) => inside.filter((s) => s.unit === u).length);
    const off = Math.max(...shares.map((n) => Math.abs(n - fair) / fair));
    worst = Math.max(worst, off);
    windows.push(`${shares.join("/")} (fair ${fmt(fair, 1)})`);
  }
  const urgentFirst = Math.min(...starts.filter((s) => s.unit === "urgent").map((s) => s.at)) - urgentSentAt;
  const sorted = starts.map((s) => s.at).sort((a, b) => a - b);
  return {
    metrics: [
      metric("ten units: largest deviation from a fair share in any 10 s window", worst * 100, "%", {
        digits: 1,
        target: { op: "<=", value: 10, text: "≤ ±10 %" },
        detail: `${windows.length} windows while all ten had work; ${fmt(starts.length)} of ${fmt(total)} calls placed`,
      }),
      metric("ten units: urgent alert's first call after its creation", urgentFirst, "ms", {
        target: { op: "<=", value: 1000, text: "≤ 1 s" },
      }),
      metric("ten units: most calls started in any 1 s window", maxInWindow(sorted, 1000), "calls", {
        target: { op: "<=", value: UNITS_CPS, text: `≤ ${UNITS_CPS}` },
      }),
    ],
    notes: [
      `Ten units (RE01–RE10), ${fmt(PER_UNIT)} voice participants each around a town of the unit, one normal alert each created ` +
        `back to back, DISPATCH_CPS ${UNITS_CPS}, webhooks answered in the emulator's process (the dispatcher measured alone); ` +
        `20 s later an urgent alert of ${URGENT} in RE05. Starts per unit in each 10 s window (RE01/…/RE10): ${windows.join("; ")}.`,
    ],
  };
}

/** Where starts crowd: the seconds (after the first start) at which a 1 s window holds more than `cps`. */
function crowdedAt(sorted: number[], cps: number): string {
  const at = new Set<number>();
  for (let i = cps; i < sorted.length; i++)
    if (sorted[i] - sorted[i - cps] < 1000) at.add(Math.floor((sorted[i] - sorted[0]) / 1000));
  const list = [...at];
  return list.length
    ? `${list.slice(0, 12).join(", ")} s${list.length > 12 ? ` (${list.length} seconds in all)` : ""}`
    : "none";
}

/** Calls started in each minute after `from` (epoch ms), as a share of the pace's rate: where a run fell behind. */
function paceByMinute(sorted: number[], from: number, rate: number): string {
  const perMinute: number[] = [];
  for (const t of sorted) {
    const m = Math.floor((t - from) / 60_000);
    perMinute[m] = (perMinute[m] ?? 0) + 1;
  }
  // The last minute is partial: left out. A minute without a call is a hole in the array: counted as 0.
  return Array.from({ length: Math.max(0, perMinute.length - 1) }, (_, m) => perMinute[m] ?? 0)
    .map((n) => `${Math.round((n / (rate * 60)) * 100)} %`)
    .join(", ");
}

const LARGE_N = 100_000;
const LARGE_CPS = 167;

export const large: Scenario = {
  name: "large",
  title: "100,000 participants in one alert at 167 CPS: time to the last first attempt, pace, RSS",
  async run(ctx: BenchContext) {
    const limitS = LARGE_N / LARGE_CPS;
    const r = await dispatchRun(
      ctx.database,
      {
        label: "100,000 at 167 CPS",
        cps: LARGE_CPS,
        participants: LARGE_N,
        sink: true,
        timeoutS: Math.ceil(limitS * 1.2),
        memorySampleMs: 1000,
        compiled: true,
        wire: true,
      },
      ctx.log,
    );
    const sorted = [...r.starts].sort((a, b) => a - b);
    // Counted where a carrier counts them, on arrival at its host; the emulator's own stamps where that can't be seen.
    const carrier = r.wireStarts
      ? { times: r.wireStarts, where: "on arrival at the carrier's host (tcpdump on lo)" }
      : { times: sorted, where: "at the carrier (the emulator's clock on arrival)" };
    const last = sorted[sorted.length - 1];
    const seconds = r.completed ? (last - r.sentAt) / 1000 : null;
    return {
      metrics: [
        metric("100,000 at 167 CPS: last first-attempt start − alert creation", seconds, "s", {
          target: { op: "<=", value: 1.03 * limitS, text: `≤ ${fmt(1.03 * limitS)} s (1.03 × N/CPS)` },
          ...(r.completed ? {} : { pass: false }),
          detail: `${fmt(r.calls)} calls to ${fmt(r.numbers)} numbers; N/CPS = ${fmt(limitS)} s`,
        }),
        metric("100,000 at 167 CPS: most calls started in any 1 s window", maxInWindow(carrier.times, 1000), "calls", {
          target: { op: "<=", value: LARGE_CPS, text: `≤ ${LARGE_CPS}` },
          detail:
            `${carrier.where}; ` +
            (r.wireStarts ? `as the emulator's handler stamped them, ${maxInWindow(sorted, 1000)}; ` : "") +
            (r.loops.service?.callsSent
              ? `at the service, ${r.loops.service.callsSent.maxInSecond} begun in any 1 s`
              : "the service's sends not measured") +
            `; windows over ${LARGE_CPS} start at ${crowdedAt(carrier.times, LARGE_CPS)}`,
        }),
        metric("100,000 at 167 CPS: service peak RSS (VmHWM)", r.memory.hwmMb, "MB", {
          target: { op: "<=", value: 250, text: "≤ 250 MB" },
          detail: `RSS ${fmt(r.memory.baselineMb)} MB when ready, ${fmt(r.memory.maxRssMb)} MB largest sample`,
        }),
      ],
      notes: [
        `One alert of ${fmt(LARGE_N)} voice participants created through POST /v1/alerts (answered after ` +
          `${fmt((r.answeredAt - r.sentAt) / 1000, 1)} s), DISPATCH_CPS ${LARGE_CPS}, webhooks answered in the emulator's process; ` +
          "the service compiled, as `npm start` runs it in production (node dist/server.js; under tsx until 2026-12-07)." +
          `${r.serviceErrors ? ` Service log: ${r.serviceErrors}.` : ""}`,
        `Voice slots that passed unused: ${slotsLostText(r.slotsLost)}; ${loopsText(r)}.`,
        `Calls started in each minute after the alert's creation, as a share of the pace (${fmt(LARGE_CPS * PACE_MARGIN, 1)}/s): ` +
          `${paceByMinute(sorted, r.sentAt, LARGE_CPS * PACE_MARGIN)}.`,
        `RSS every 30 s (MB): ${r.memory.samples.filter((_, i) => i % 30 === 0).join(", ")}.`,
      ],
    };
  },
};
