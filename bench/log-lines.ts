// Log lines an operator ships at the bench's webhook load (issue 27): the service at LOG_LEVEL=info under TwiML
// fetches and status callbacks, alternating, for DURATION_S at RATE requests a second; its stdout lines counted.
// Run: DATABASE_URL=postgres://… npx tsx bench/log-lines.ts (not part of `npm run bench`: a one-off comparison,
// run on a commit before and after the request-log change; the figures are in bench/RESULTS.md).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import { createSchema, serverDatabase } from "./lib/database.js";
import { freePort } from "./lib/children.js";
import { seedDeliveries, statusRequests, twimlRequests } from "./webhooks.js";

const DURATION_S = Number(process.env.LOG_BENCH_SECONDS ?? 20);
const RATE = Number(process.env.LOG_BENCH_RATE ?? 2000);

const database = await serverDatabase(process.env.DATABASE_URL!);
const schema = await createSchema(database, "loglines");
const deliveries = await seedDeliveries(schema.db);
const port = await freePort();
const publicUrl = `http://127.0.0.1:${port}`;
const account = { sid: `AC${randomBytes(16).toString("hex")}`, token: randomBytes(16).toString("hex") };
const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
  env: {
    PATH: process.env.PATH,
    DATABASE_URL: schema.url,
    PORT: String(port),
    PUBLIC_URL: publicUrl,
    LOG_LEVEL: "info",
    QUIET_HOURS: "off",
    TWILIO_ACCOUNT_SID: account.sid,
    TWILIO_AUTH_TOKEN: account.token,
    TWILIO_API_URL: "http://127.0.0.1:9", // never asked: nothing is dispatched
  },
  stdio: ["ignore", "pipe", "inherit"],
});
let lines = 0;
let ready = false;
let sample = "";
child.stdout.on("data", (d: Buffer) => {
  for (const b of d) if (b === 10) lines++;
  if (ready && sample.length < 2000) sample += d.toString().slice(0, 2000);
  if (!ready && d.includes("Server listening")) ready = true;
});
while (!ready) await new Promise((r) => setTimeout(r, 100));

const twiml = twimlRequests(publicUrl, account.token, account.sid, deliveries, 20_000);
const status = statusRequests(publicUrl, account.token, account.sid, deliveries, 0, 5_000);
let n = 0;
const requests = Array.from({ length: 2 }, () => ({
  method: "POST" as const,
  setupRequest: (req: autocannon.Request) => {
    const list = n % 2 ? status : twiml;
    const p = list[Math.floor(n++ / 2) % list.length];
    return {
      ...req,
      path: p.path,
      body: p.body,
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": p.signature },
    };
  },
}));
const before = lines;
const result = await autocannon({ url: publicUrl, connections: 32, duration: DURATION_S, overallRate: RATE, requests });
await new Promise((r) => setTimeout(r, 500)); // the last lines flushed
const logged = lines - before;
const total = result.requests.total;
console.log(
  JSON.stringify({
    requests: total,
    reqPerS: Math.round(total / DURATION_S),
    non2xx: result.non2xx,
    lines: logged,
    linesPerS: Math.round(logged / DURATION_S),
    linesPerRequest: Math.round((logged / total) * 100) / 100,
  }),
);
if (process.env.LOG_BENCH_SHOW) console.log(sample);
child.kill("SIGTERM");
await new Promise((r) => child.on("exit", r));
await schema.drop();
process.exit(0);
