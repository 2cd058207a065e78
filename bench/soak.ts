// An hour at load: back-to-back alerts at 50 CPS through the full call flow (the seeded mix of citizens: tips,
// voicemail, busy, no answer …), webhooks to a receiver, five live-feed clients and the retention job, on one service.
// Samples memory and the database every minute; at the end counts contacts lost or made twice.
import { createApiKey } from "../src/access/keys.js";
import { AT_CARRIER, WAITING } from "../src/deliveries/statuses.js";
import { DAM } from "./lib/areas.js";
import { loopFile, memoryOf, startEmulatorChild, startServiceChild } from "./lib/children.js";
import { createSchema } from "./lib/database.js";
import { createAlert, operatorKey, seedCircle } from "./lib/seed.js";
import { startLiveClients, startWebhookReceiver } from "./lib/soak-clients.js";
import { schemaSizeMb, slope, twilioLatencyPercentile, type MinuteSample } from "./lib/soak-samples.js";
import { sleep, waitUntil } from "./lib/stats.js";
import { fmt } from "./pace.js";
import { metric, type BenchContext, type Scenario } from "./lib/types.js";

const CPS = 50;
/** One alert's participants: 40 s of first attempts at 50 CPS, then the next alert. */
const PER_ALERT = 2_000;
const LIVE_CLIENTS = 5;
/** Memory before this is start-up and the first caches filling (a third of a short run). */
const warmUpMinutes = (minutes: number) => Math.min(10, Math.floor(minutes / 3));

const TEXTS = {
  nl: {
    voice: "Burgernet. Vermist: een meisje van tien jaar met een rode jas, in de buurt van de Dam.",
    sms: "Vermist meisje (10), rode jas, bij de Dam. Gezien? Bel 112.",
  },
};

export const soak: Scenario = {
  name: "soak",
  title: "Soak: back-to-back alerts at 50 CPS for SOAK_MINUTES (60), full call flow, webhooks, live clients, retention",
  async run(ctx: BenchContext) {
    const minutes = Number(process.env.SOAK_MINUTES ?? 60);
    const schema = await createSchema(ctx.database, "soak", 4);
    const receiver = await startWebhookReceiver();
    const loops = { service: loopFile("service") };
    try {
      await seedCircle(schema.db, { n: PER_ALERT, center: DAM, radiusM: 2_000 });
      const key = await operatorKey(schema.db);
      const metricsKey = (await createApiKey(schema.db, { role: "metrics" })).key;
      const emulator = await startEmulatorChild({ timeScale: 0.1, personas: "population" });
      try {
        const service = await startServiceChild({
          DATABASE_URL: schema.url,
          TWILIO_ACCOUNT_SID: emulator.accountSid,
          TWILIO_AUTH_TOKEN: emulator.authToken,
          TWILIO_API_URL: emulator.url,
          DISPATCH_CPS: String(CPS),
          SMS_MPS: "10",
          QUIET_HOURS: "00:00-00:00",
          // Busy and unanswered calls are tried again within the run, so that every delivery ends before it does.
          RETRY_DELAYS_SECONDS: "5,10",
          WEBHOOK_ALLOW_PRIVATE: "true",
          RETENTION_INTERVAL_SECONDS: "60",
          BENCH_LOOP_FILE: loops.service.path,
        });
        try {
          return await soakRun({ ctx, minutes, schema, service, emulator, receiver, key, metricsKey, loops });
        } finally {
          await service.stop();
        }
      } finally {
        await emulator.close();
      }
    } finally {
      await receiver.close();
      loops.service.remove();
      await schema.drop();
    }
  },
};

type Args = {
  ctx: BenchContext;
  minutes: number;
  schema: Awaited<ReturnType<typeof createSchema>>;
  service: Awaited<ReturnType<typeof startServiceChild>>;
  emulator: Awaited<ReturnType<typeof startEmulatorChild>>;
  receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  key: string;
  metricsKey: string;
  loops: { service: ReturnType<typeof loopFile> };
};

async function soakRun({ ctx, minutes, schema, service, emulator, receiver, key, metricsKey, loops }: Args) {
  const db = schema.db;
  const hook = await fetch(`${service.url}/v1/webhooks`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ url: receiver.url, eventTypes: ["alert.created", "alert.progress", "sighting.created"] }),
  });
  if (hook.status !== 201) throw new Error(`webhook subscription: ${hook.status} ${await hook.text()}`);
  const live = startLiveClients(service.url, key, LIVE_CLIENTS);
  await emulator.warmUp();
  process.kill(service.pid, "SIGWINCH");
  const t0 = Date.now();
  const dbMb0 = await schemaSizeMb(db, schema.name);
  const samples: MinuteSample[] = [];
  const sample = async () => {
    const heap = loops.service.read()?.heap;
    samples.push({
      minute: Math.round((Date.now() - t0) / 60_000),
      rssMb: memoryOf(service.pid)?.rssMb ?? NaN,
      heapUsedMb: heap?.usedMb ?? NaN,
      dbMb: await schemaSizeMb(db, schema.name),
      calls: (await emulator.counts()).calls,
    });
    const s = samples[samples.length - 1];
    ctx.log(
      `soak: minute ${s.minute}: RSS ${fmt(s.rssMb)} MB, heap ${s.heapUsedMb} MB, db ${fmt(s.dbMb)} MB, ${fmt(s.calls)} calls`,
    );
  };
  await sample();
  const sampler = setInterval(() => void sample().catch(() => {}), 60_000);
  const alerts: string[] = [];
  const alertErrors: string[] = [];
  try {
    while (Date.now() - t0 < minutes * 60_000) {
      const alert = await createAlert(service.url, key, {
        kind: "missing_child",
        texts: TEXTS,
        channels: ["voice"],
        area: { type: "circle", center: DAM, radiusMeters: 2_050 },
      }).catch((err: Error) => (alertErrors.push(err.message), null));
      if (!alert) {
        await sleep(5_000);
        continue;
      }
      alerts.push(alert.id);
      // Back to back: the next alert as soon as this one's first attempts have all gone out.
      await waitUntil(
        async () =>
          (
            await db.query<{ n: number }>(
              "SELECT count(*)::int AS n FROM deliveries WHERE alert_id = $1 AND attempts = 0 AND status = ANY($2)",
              [alert.id, WAITING],
            )
          ).rows[0].n === 0,
        { timeoutMs: 600_000, intervalMs: 1_000, what: "the alert's first attempts" },
      );
    }
  } finally {
    clearInterval(sampler);
  }
  const open = async () =>
    (
      await db.query<{ n: number }>("SELECT count(*)::int AS n FROM deliveries WHERE status = ANY($1)", [
        [...WAITING, ...AT_CARRIER],
      ])
    ).rows[0].n;
  // Retries (5 s, 10 s) and calls in progress end; whatever is still open after 3 minutes counts as lost.
  await waitUntil(async () => (await open()) === 0, {
    timeoutMs: 180_000,
    intervalMs: 1_000,
    what: "deliveries to end",
  }).catch(() => {});
  await sample();
  const per = await emulator.perDelivery();
  const rows = (
    await db.query<{ id: string; attempts: number; status: string }>(
      "SELECT id::text, attempts, status FROM deliveries WHERE alert_id = ANY($1)",
      [alerts],
    )
  ).rows;
  const stuck = rows.filter(
    (r) => (WAITING as readonly string[]).includes(r.status) || (AT_CARRIER as readonly string[]).includes(r.status),
  ).length;
  const twice = rows.filter((r) => (per[r.id] ?? 0) > r.attempts).length;
  const metricsText = await (
    await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${metricsKey}` } })
  ).text();
  const callback = twilioLatencyPercentile(metricsText, 0.99);
  const loop = loops.service.read();
  const wu = warmUpMinutes(minutes);
  const after = samples.filter((s) => s.minute >= wu);
  const rssSlope = slope(after.map((s) => ({ x: s.minute, y: s.rssMb }))) * 10;
  const heapSlope = slope(after.map((s) => ({ x: s.minute, y: s.heapUsedMb }))) * 10;
  const dbSlope = slope(after.map((s) => ({ x: s.minute, y: s.dbMb }))) * 10;
  const hooks = receiver.received();
  const liveCounts = live.counts();
  live.close();
  const totalCalls = Object.values(per).reduce((a, b) => a + b, 0);
  const last = samples[samples.length - 1];
  const logs = service.logCounts();
  return {
    metrics: [
      metric(`RSS slope after ${wu} min warm-up`, rssSlope, "MB/10 min", {
        digits: 2,
        target: { op: "<", value: 1, text: "< 1 MB / 10 min" },
        detail: `RSS ${fmt(samples[0].rssMb)} MB at the start, ${fmt(Math.max(...samples.map((s) => s.rssMb)))} MB at most, ${fmt(last.rssMb)} MB at the end; heap used slope ${fmt(heapSlope, 2)} MB/10 min`,
      }),
      metric("error log lines and failed alert creations", logs.errors + alertErrors.length, "lines", {
        target: { op: "<=", value: 0, text: "0" },
        detail:
          `${fmt(logs.errors)} error lines; ${fmt(logs.warnings)} other warnings; ${fmt(logs.slowRequests)} requests ` +
          `logged as slower than 1 s${alertErrors.length ? `; alert creation: ${alertErrors[0]}` : ""}`,
      }),
      metric("contacts made twice (calls at the carrier beyond a delivery's attempts)", twice, "deliveries", {
        target: { op: "<=", value: 0, text: "0" },
        detail: `${fmt(totalCalls)} calls for ${fmt(rows.length)} deliveries of ${alerts.length} alerts`,
      }),
      metric("contacts lost (deliveries not ended 3 min after the last alert)", stuck, "deliveries", {
        target: { op: "<=", value: 0, text: "0" },
      }),
      metric("service event-loop delay p99", loop?.p99 ?? null, "ms", { detail: `max ${loop?.max ?? "?"} ms` }),
      metric("Twilio webhook answer p99 (histogram bucket bound)", callback.ms, "ms", {
        detail: `${fmt(callback.count)} webhook requests`,
      }),
      metric("database growth", dbSlope, "MB/10 min", {
        digits: 1,
        detail: `${fmt(dbMb0, 1)} MB at the start, ${fmt(last.dbMb, 1)} MB at the end (schema tables and indexes)`,
      }),
    ],
    notes: [
      `${minutes} minutes, ${alerts.length} alerts of ${fmt(PER_ALERT)} participants each, created back to back (the next once the previous one's first attempts were out), DISPATCH_CPS ${CPS}, the emulator's seeded population (listen, tip, replay, connect, voicemail, busy, no answer, invalid …) at time scale 0.1, retries after 5 and 10 s, retention every 60 s.`,
      `Webhooks to a receiver: ${fmt(hooks.total)} received, ${fmt(hooks.unique)} distinct webhook-ids (${Object.entries(
        hooks.byType,
      )
        .map(([t, n]) => `${t} ${fmt(n)}`)
        .join(
          ", ",
        )}). Live feed: ${LIVE_CLIENTS} clients received ${liveCounts.events.map((n) => fmt(n)).join(", ")} events; ${liveCounts.disconnects} disconnects.`,
      `Per minute (minute: RSS MB / heap used MB / database MB / calls): ${samples.map((s) => `${s.minute}: ${fmt(s.rssMb)}/${s.heapUsedMb}/${fmt(s.dbMb, 1)}/${fmt(s.calls)}`).join("; ")}.`,
      `Event loop: p50 ${loop?.p50 ?? "?"} ms, p99 ${loop?.p99 ?? "?"} ms, max ${loop?.max ?? "?"} ms${loop?.gc ? `; GC ${loop.gc.minor.n} minor (${loop.gc.minor.ms} ms), ${loop.gc.major.n} major (${loop.gc.major.ms} ms, longest ${loop.gc.major.max})` : ""}.`,
      ...(service.firstWarnings().length
        ? [
            `The first warning or error lines of the service (slow requests left out): ${service
              .firstWarnings()
              .map((l) => `\`${l}\``)
              .join("; ")}.`,
          ]
        : []),
      "The machine is shared with other helpers' test runs: the load average at the start and the end is in the header.",
    ],
  };
}
