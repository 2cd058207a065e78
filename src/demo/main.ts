// npm run demo: a whole alert, end to end, on the embedded defaults (see README).
import { createApiKey } from "../access/keys.js";
import { maskPhone } from "../participants/phone.js";
import { startServer } from "../server.js";
import { countByStatus, progressSummary } from "../deliveries/counts.js";
import { parseDemoArgs } from "./args.js";
import { isSettled, progressLine, type AlertView } from "./progress.js";
import { startReceiver } from "./receiver.js";
import { findTown, seedParticipants } from "./seed.js";
import { print } from "../cli/print.js";
import { burgernetClient, type operations } from "../client/index.js";

const args = parseDemoArgs(process.argv.slice(2));
const tty = process.stdout.isTTY && !args.json;
const say = (line: string) => {
  if (!args.json) print(line);
};

const town = findTown(args.town);
const port = Number(process.env.PORT ?? 3000);
// Exactly `npm start` with no configuration, plus the pace and a faster simulated clock for the show.
const server = await startServer(
  {
    DOCS_PUBLIC: "true", // a local showcase: the API docs are part of it (a deployment keeps them private)
    ...process.env,
    PORT: String(port),
    LOG_LEVEL: process.env.LOG_LEVEL ?? "error",
    DISPATCH_CPS: String(args.cps),
    SMS_MPS: String(args.cps),
    SIM_SEED: String(args.seed),
    SIM_TIME_SCALE: String(args.timeScale),
    RETRY_DELAYS_SECONDS: `${Math.max(1, 120 * args.timeScale)},${Math.max(2, 300 * args.timeScale)}`,
    WEBHOOK_ALLOW_PRIVATE: "true", // the demo's operator receiver listens on localhost
  },
  { installSignals: false },
);
/** The typed client's answer, or a thrown error naming the request: the demo stops on any API failure. */
async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || data === undefined)
    throw new Error(`${response.url}: ${response.status} ${JSON.stringify(error)}`);
  return data;
}

say(`burgernet-voice demo · service ${server.url} · docs ${server.url}/docs`);
const added = await seedParticipants(server.db, town, args.participants, args.seed);
say(`participants: ${added} synthetic participants added around real postcodes (seed ${args.seed})`);

const operator = (await createApiKey(server.db, { role: "operator", region: town.region, label: "demo" })).key;
const api = burgernetClient(server.url, operator);
say(`console: ${server.url}/console · operator API key for ${town.region}: ${operator}`);
const tips: { phone: string; transcript: string; distance: number | null }[] = [];
let firstTipAt: number | null = null;
const receiver = await startReceiver((e) => {
  if (e.type !== "sighting.created") return;
  firstTipAt ??= Date.now();
  const tip = {
    phone: maskPhone(e.data.callerPhone as string) ?? "anoniem",
    transcript: String(e.data.transcript ?? e.data.recordingUrl ?? e.data.digits ?? ""),
    distance: e.data.distanceM as number | null,
  };
  tips.push(tip);
  const line = `  tip from ${tip.phone}${tip.distance !== null ? ` (${tip.distance} m)` : ""}: "${tip.transcript}"`;
  if (tty) process.stdout.write(`\r\x1b[K${line}\n`);
  else say(line);
});
const subscription = await ok(
  api.POST("/v1/webhooks", {
    body: {
      url: receiver.url,
      description: "demo operator receiver",
      eventTypes: ["alert.created", "alert.progress", "alert.closed", "sighting.created", "call.connected"],
    },
  }),
);
receiver.useSecret(subscription.secret!);

const started = Date.now();
const body: operations["createAlert"]["requestBody"]["content"]["application/json"] = {
  kind: "missing_child",
  priority: "urgent",
  channels: ["voice", "sms"],
  area: { type: "circle", center: town.center, radiusMeters: 2000 },
  texts: {
    nl: {
      voice:
        `De politie zoekt een meisje van acht jaar in ${town.name}. ` +
        "Zij draagt een gele regenjas en heeft een blauwe rugzak.",
      sms: `Politie zoekt meisje (8) in ${town.name}: gele regenjas, blauwe rugzak. Gezien? Bel 112.`,
    },
    en: {
      voice:
        `The police are looking for an eight year old girl in ${town.name}, ` +
        "wearing a yellow raincoat and a blue backpack.",
      sms: `Police seek girl (8) in ${town.name}: yellow raincoat, blue backpack. Seen her? Call 112.`,
    },
  },
};
const alert = await ok(api.POST("/v1/alerts", { body }));
const alertId = alert.id!;
say(
  `alert ${alert.id}: missing child, 2 km around ${town.name} (${town.region}) · ` +
    `${alert.targeting!.voice} calls and ${alert.targeting!.sms} SMS at ${args.cps}/s`,
);

async function follow(id: string, purpose: string) {
  let last = { at: Date.now(), done: 0 };
  let pace = 0;
  let lastPrint = 0;
  for (;;) {
    const a = (await ok(api.GET("/v1/alerts/{id}", { params: { path: { id } } }))) as AlertView;
    const done = a.summary.total - a.summary.queued;
    const now = Date.now();
    if (now - last.at >= 1000) {
      pace = ((done - last.done) * 1000) / (now - last.at);
      last = { at: now, done };
    }
    if (tty) process.stdout.write(`\r\x1b[K${progressLine(a, pace)}`);
    else if (now - lastPrint > 5000) {
      say(progressLine(a, pace));
      lastPrint = now;
    }
    if (purpose === "alert" ? isSettled(a.progress) : true) return a;
    await new Promise((r) => setTimeout(r, 500));
  }
}

await follow(alertId, "alert");
if (tty) process.stdout.write("\n");
const dispatchSeconds = (Date.now() - started) / 1000;

const closed = await ok(
  api.POST("/v1/alerts/{id}/close", {
    params: { path: { id: alertId } },
    body: { outcome: "found", message: `Het meisje in ${town.name} is gevonden. Dank voor uw hulp!` },
  }),
);
const closing = await waitForClosing(closed.id!);
// JSON unless ?format=csv; the counts are always there (the report's schema lists them).
type Report = { [K in "targeted" | "reached"]: number } & {
  calls: { answered: number; voicemail: number; busy: number; noAnswer: number };
  sms: { delivered: number };
  tips: { total: number };
};
const report = (await ok(api.GET("/v1/alerts/{id}/report", { params: { path: { id: alertId } } }))) as Report;
await new Promise((r) => setTimeout(r, 300)); // the last webhooks are in flight

const summary = {
  alertId,
  town: town.name,
  participantsAdded: added,
  targeted: report.targeted,
  reached: report.reached,
  answered: report.calls.answered,
  voicemail: report.calls.voicemail,
  busyOrNoAnswer: report.calls.busy + report.calls.noAnswer,
  smsDelivered: report.sms.delivered,
  tips: report.tips.total,
  tipsReceivedByOperator: tips.length,
  timeToFirstTipSeconds: firstTipAt ? Math.round((firstTipAt - started) / 100) / 10 : null,
  durationSeconds: Math.round(dispatchSeconds * 10) / 10,
  closingMessages: closing,
  webhooksVerified: receiver.stats.received,
  webhooksRejected: receiver.stats.rejected,
};
if (args.json) print(JSON.stringify(summary));
else {
  say("\nsummary");
  for (const [k, v] of Object.entries(summary)) say(`  ${k.padEnd(24)} ${v ?? "-"}`);
}

async function waitForClosing(id: string): Promise<number> {
  for (;;) {
    const closing = progressSummary(await countByStatus(server.db, id, "closing"));
    if (closing.queued + closing.atCarrier === 0) return closing.total;
    await new Promise((r) => setTimeout(r, 300));
  }
}

if (args.keep) {
  say(
    `\nThe service keeps running: ${server.url} (API docs ${server.url}/docs; ${server.url}/metrics takes a key of` +
      " role metrics: npm run key:create -- --role metrics). Ctrl-C stops it.",
  );
  say(`Operator API key for ${town.region}: ${operator}`);
  say(
    `Operator console: ${server.url}/console (sign in with that key; ` +
      "Past alerts → Open shows the demo alert and its tips)",
  );
  const stop = async () => {
    await receiver.close();
    await server.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} else {
  await receiver.close();
  await server.close();
  process.exit(0);
}
