// The Twilio emulator in a process of its own (bench/lib/children.ts starts it), so that the phone network's CPU is
// not the service's. Answers the parent over IPC: the start times it recorded, its counts, and close.
import { DEFAULT_PERSONA, createPopulation, startEmulator } from "../../src/sim/index.js";
import type { LocalAnswer } from "../../src/sim/webhook-client.js";

export interface EmulatorProcessConfig {
  accountSid: string;
  authToken: string;
  timeScale: number;
  /** "listen": everyone answers and listens (no retries); "population": the seeded mix (busy, voicemail, tips …). */
  personas: "listen" | "population";
  /** When set, webhooks for this public origin go to a sink in this process instead of the service. */
  sinkFor?: string;
}

export type EmulatorRequest = {
  id: number;
  type: "starts" | "counts" | "warmup" | "close" | "perDelivery" | "startsByNumber";
};

/** Calls placed by the warm-up go to this number and are left out of what is reported. */
const WARMUP_NUMBER = "+31699999999";

/**
 * Every webhook answered at once, in the emulator itself and without a request: hang up for TwiML, 204 for the rest.
 * Measures the dispatcher and the carrier's REST API without the webhooks (an HTTP sink in this process cost the
 * emulator ~0.5 ms of CPU per call, on the cores the service shares with it).
 */
const sink: LocalAnswer = (url) =>
  url.pathname.startsWith("/twilio/voice/alert")
    ? { status: 200, body: "<Response><Hangup/></Response>" }
    : { status: 204, body: "" };

const config = JSON.parse(process.env.BENCH_EMULATOR ?? "{}") as EmulatorProcessConfig;
const population = createPopulation({ seed: 7 });
const emulator = await startEmulator({
  accountSid: config.accountSid,
  authToken: config.authToken,
  cps: 0, // uncapped: the service holds the pace, and its starts are what we measure
  concurrency: 2_000,
  timeScale: config.timeScale,
  transcripts: false,
  personas: config.personas === "population" ? population.persona : () => DEFAULT_PERSONA,
  answerLocally: config.sinkFor ? { [new URL(config.sinkFor).origin]: sink } : undefined,
});

const send = (message: unknown) => process.send?.(message);
const measured = () => emulator.calls().filter((c) => c.to !== WARMUP_NUMBER);

/**
 * The counts the bench polls twice a second, kept up as calls come (the call list only grows). Counting the whole
 * list at each poll stalled this process for tens of milliseconds at 100,000 calls, and requests that arrived
 * meanwhile were stamped together: a crowd at the carrier that the service never sent.
 */
const tally = { seen: 0, calls: 0, numbers: new Set<string>() };
function counts() {
  const all = emulator.calls();
  if (all.length < tally.seen) Object.assign(tally, { seen: 0, calls: 0, numbers: new Set<string>() }); // reset
  for (; tally.seen < all.length; tally.seen++) {
    const to = all[tally.seen].to;
    if (to === WARMUP_NUMBER) continue;
    tally.calls++;
    tally.numbers.add(to);
  }
  return { calls: tally.calls, numbers: tally.numbers.size };
}

/**
 * A cold process is slow for its first requests (JIT, route compilation); its start times would bunch up and look
 * like a burst from the service. A few hundred calls through its own REST API first (inline TwiML, no webhooks).
 */
async function warmUp() {
  const auth = `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString("base64")}`;
  const body = new URLSearchParams({
    To: WARMUP_NUMBER,
    From: "+3197010000000",
    Twiml: "<Response><Hangup/></Response>",
  }).toString();
  for (let i = 0; i < 300; i++) {
    await fetch(`${emulator.url}/2010-04-01/Accounts/${config.accountSid}/Calls.json`, {
      method: "POST",
      headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded" },
      body,
    }).then((r) => r.arrayBuffer());
  }
}
process.on("message", (m: EmulatorRequest) => {
  switch (m.type) {
    case "starts":
      send({
        id: m.id,
        starts: measured()
          .map((c) => c.startedAt)
          .filter((t): t is number => t !== undefined),
      });
      break;
    case "counts":
      send({ id: m.id, ...counts() });
      break;
    case "startsByNumber":
      send({
        id: m.id,
        starts: measured().flatMap((c) => (c.startedAt === undefined ? [] : [[c.to, c.startedAt]])),
      });
      break;
    case "perDelivery": {
      // Calls placed per delivery (the id in the TwiML URL): more calls than the delivery's attempts is a duplicate.
      const per: Record<string, number> = {};
      for (const c of measured()) {
        const id = c.request.url ? new URL(c.request.url).searchParams.get("delivery") : null;
        if (id) per[id] = (per[id] ?? 0) + 1;
      }
      send({ id: m.id, per });
      break;
    }
    case "warmup":
      void warmUp().then(() => send({ id: m.id }));
      break;
    case "close":
      void emulator.close().finally(() => {
        send({ id: m.id });
        process.exit(0);
      });
  }
});
process.on("disconnect", () => process.exit(0));
send({ ready: true, url: emulator.url });
