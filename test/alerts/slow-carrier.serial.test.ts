import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { bearer, startStack, type Stack } from "../helpers/stack.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";
import { eventually } from "../helpers/eventually.js";

// Every duration is the production one times SCALE, the carrier's included (the emulator's clock runs at SCALE):
// answers taking 10–20 s against the service's 15 s request timeout, for a minute. FAULT_SCALE=1 runs it in real time.
const SCALE = Number(process.env.FAULT_SCALE ?? 0.1);
const CONCURRENCY = 8;
const phones = Array.from({ length: 80 }, (_, i) => mobile(96_000 + i));
let s: Stack;

before(async () => {
  s = await startStack({
    env: { DISPATCH_CPS: "10" },
    emulator: { timeScale: SCALE },
    carrierTimeoutMs: 15_000 * SCALE,
    dispatch: {
      concurrency: CONCURRENCY,
      requestTimeoutMs: 15_000 * SCALE,
      callbackTimeoutMs: 30_000 * SCALE,
      leaseMs: 30_000 * SCALE,
      gate: { baseMs: 5_000 * SCALE, maxMs: 20_000 * SCALE },
    },
  });
  await seedParticipants(
    s.db,
    phones.map((phone, i) => ({ phone, ...offset(dam, (i % 10) * 50, Math.floor(i / 10) * 50), channels: ["voice"] })),
  );
});
after(() => s.close());

test("a slow carrier for a minute: in-flight bounded, timeouts reconciled not resent, the breaker opens and closes, nobody called twice", async (t) => {
  // 30 s of answers taking 10–20 s (those past 15 s time out after the call was made), 15 s of requests that hang
  // after the call was made, 15 s that hang before: a minute in all, then the carrier is well again.
  s.emulator.failCreates(
    { slowSeconds: [10, 20], forMs: 30_000 * SCALE, resource: "calls" },
    { hang: "after", forMs: 15_000 * SCALE, resource: "calls" },
    { hang: "before", forMs: 15_000 * SCALE, resource: "calls" },
  );
  const gateSeen: (string | null)[] = [];
  const watch = setInterval(() => {
    const reason = s.app.dispatcher.gateState().voice;
    if (gateSeen.at(-1) !== reason) gateSeen.push(reason);
  }, 10);
  const res = await s.app.inject({
    method: "POST",
    url: "/v1/alerts",
    headers: bearer(s.keys.operator),
    payload: {
      kind: "suspect",
      priority: "urgent",
      channels: ["voice"],
      area: { type: "circle", center: dam, radiusMeters: 1000 },
      texts: { nl: { voice: "Let op: een man met een zwarte rugzak.", sms: "Man, zwarte rugzak." } },
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().id as string;
  try {
    await eventually(
      async () =>
        (
          await s.db.query(
            `SELECT count(*)::int AS n FROM deliveries WHERE alert_id = $1
               AND status IN ('pending', 'sending', 'submitted', 'ringing', 'in_progress')`,
            [id],
          )
        ).rows[0].n === 0,
      { what: "every delivery ended", timeoutMs: 120_000 },
    );
  } finally {
    clearInterval(watch);
  }

  const stats = s.emulator.stats();
  assert.ok(
    stats.restMaxInFlight <= CONCURRENCY + 2,
    `at most ${CONCURRENCY} call requests (and a reconcile look-up or two) at the carrier at once, ` +
      `saw ${stats.restMaxInFlight}`,
  );
  for (const phone of phones) assert.equal(s.emulator.callsTo(phone).length, 1, `${phone} called once`);
  const statuses = (
    await s.db.query<{ status: string; n: number }>(
      "SELECT status, count(*)::int AS n FROM deliveries WHERE alert_id = $1 GROUP BY 1",
      [id],
    )
  ).rows;
  assert.deepEqual(statuses, [{ status: "answered", n: phones.length }], "everyone reached, nobody given up on");

  const metrics = (await s.app.inject({ url: "/metrics", headers: bearer(s.keys.admin) })).body;
  const count = (outcome: string) =>
    Number(
      new RegExp(`burgernet_carrier_requests_total\\{operation="placeCall",outcome="${outcome}"\\} (\\d+)`).exec(
        metrics,
      )?.[1] ?? 0,
    );
  // Timed out, some after the call was made: each was looked up at the carrier before anything was sent again,
  // so those callees are still called once (above).
  assert.ok(count("lost") > 0, "some requests timed out without an answer");
  assert.ok(gateSeen.includes("outage"), `the breaker opened (gate states seen: ${gateSeen.join(" → ")})`);
  assert.equal(gateSeen.at(-1), null, "and closed again");
  t.diagnostic(
    `peak in flight ${stats.restMaxInFlight}; placeCall ok ${count("ok")}, lost ${count("lost")}, ` +
      `outage ${count("outage")}; gate ${gateSeen.map((g) => g ?? "open").join(" → ")}`,
  );
});
