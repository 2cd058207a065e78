import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { bearer, startStack, type Stack } from "../helpers/stack.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";
import { eventually } from "../helpers/eventually.js";
import { startReceiver, subscribe, type Receiver } from "../webhooks/harness.js";

// One alert with calls answered, a voicemail, a busy line called again, SMS, and a participant reached on both
// channels (one participant, two deliveries). Every place that shows its figures must show the same ones.
const human = mobile(82_000);
const voicemail = mobile(82_001);
const busy = mobile(82_002);
const both = mobile(82_003);
const smsOnly = mobile(82_004);
const REACHED = new Set(["answered", "voicemail", "delivered", "sent"]);

let s: Stack;
let receiver: Receiver;
const live: { type: string; data?: Record<string, unknown> }[] = [];
let socket: WebSocket;

before(async () => {
  s = await startStack({
    env: { WEBHOOK_ALLOW_PRIVATE: "true" },
    dispatch: { retry: { maxAttempts: 2, delaysMs: [50] } },
    webhooks: { pollMs: 25, progressIntervalMs: 100 },
  });
  await seedParticipants(s.db, [
    { phone: human, ...offset(dam, 100), channels: ["voice"] },
    { phone: voicemail, ...offset(dam, 200), channels: ["voice"] },
    { phone: busy, ...offset(dam, 300), channels: ["voice"] },
    { phone: both, ...offset(dam, 400), channels: ["voice", "sms"] },
    { phone: smsOnly, ...offset(dam, 500), channels: ["sms"] },
  ]);
  s.emulator.setPersona(voicemail, { answer: "voicemail" });
  s.emulator.setPersona(busy, { answer: "busy" });
  receiver = await startReceiver();
  const sub = await subscribe(s.app, s.keys.operator, { url: receiver.url, eventTypes: ["alert.progress"] });
  assert.equal(sub.statusCode, 201, sub.body);
  receiver.trust(sub.json().secret);
  socket = await s.app.injectWS(
    "/v1/live",
    { headers: bearer(s.keys.operator) },
    {
      onInit: (ws) => ws.on("message", (m) => live.push(JSON.parse(String(m)))),
    },
  );
});
after(async () => {
  socket?.terminate();
  await receiver?.close();
  await s?.close();
});

const get = async (url: string, key = s.keys.operator) => {
  const res = await s.app.inject({ url, headers: bearer(key) });
  assert.equal(res.statusCode, 200, res.body);
  return res;
};
type Counts = Record<string, number>;
const same = (a: unknown, b: unknown) => {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
};
const lastProgress = (list: { type?: string; data?: Record<string, unknown> }[]) =>
  list.filter((e) => e.type === "alert.progress").at(-1)?.data;
const webhookProgress = () =>
  lastProgress(receiver.received.filter((r) => r.verified).map((r) => JSON.parse(r.body) as { type: string }));
const groups = (p: Record<string, unknown>) =>
  Object.fromEntries(["total", "queued", "atCarrier", "reached", "unreached"].map((k) => [k, p[k]]));

/** CSV rows counted by `channel/status` (and `status`), for one purpose. */
function csvCounts(csv: string, purpose: string) {
  const [head, ...lines] = csv.trim().split("\r\n");
  const cols = head.split(",");
  const rows = lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i], v])));
  const byStatus: Counts = {};
  const byChannel: Counts = {};
  for (const r of rows.filter((r) => r.purpose === purpose)) {
    byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    byChannel[`${r.channel}/${r.status}`] = (byChannel[`${r.channel}/${r.status}`] ?? 0) + 1;
  }
  return { rows, byStatus, byChannel };
}

test("the alert's GET, its report (JSON and CSV), alert.progress live and by webhook and /metrics show the same counts; reached = closing messages", async () => {
  const created = await s.app.inject({
    method: "POST",
    url: "/v1/alerts",
    headers: bearer(s.keys.operator),
    payload: {
      kind: "missing_person",
      priority: "urgent",
      channels: ["voice", "sms"],
      area: { type: "circle", center: dam, radiusMeters: 1000 },
      texts: { nl: { voice: "Gezocht: een jongen van tien.", sms: "Gezocht: jongen (10)." } },
    },
  });
  assert.equal(created.statusCode, 201, created.body);
  const id: string = created.json().id;

  // Every alert message final, and the last progress event (live and by webhook) says so.
  const alert = await eventually(
    async () => {
      const a = (await get(`/v1/alerts/${id}`)).json();
      const settled = a.summary.queued + a.summary.atCarrier === 0 && !a.progress.sent && a.summary.total === 6;
      const sameLive = same(lastProgress(live)?.byStatus, a.progress);
      const sameHook = same(webhookProgress()?.byStatus, a.progress);
      return settled && sameLive && sameHook && a;
    },
    {
      what: "every delivery final, and the last alert.progress (live and webhook) with the final numbers",
      timeoutMs: 60_000,
    },
  );
  const report = (await get(`/v1/alerts/${id}/report`)).json();
  const csv = csvCounts((await get(`/v1/alerts/${id}/report?format=csv`)).body, "alert");
  const metrics = (await get("/metrics/database", s.keys.admin)).body;
  const gauge = (channel: string, status: string) =>
    Number(
      new RegExp(`burgernet_deliveries\\{channel="${channel}",status="${status}"\\} (\\d+)`).exec(metrics)?.[1] ?? 0,
    );

  // The scenario happened: calls answered, a voicemail, a busy line called twice, SMS delivered.
  assert.deepEqual(alert.progress, { answered: 2, voicemail: 1, busy: 1, delivered: 2 });
  assert.equal(csv.rows.find((r) => r.channel === "voice" && r.status === "busy")?.attempts, "2", "busy: called again");

  // By status: the GET, the CSV, alert.progress live and by webhook, /metrics.
  assert.deepEqual(csv.byStatus, alert.progress, "CSV");
  assert.deepEqual(lastProgress(live)!.byStatus, alert.progress, "live feed");
  assert.deepEqual(webhookProgress()!.byStatus, alert.progress, "webhook");
  for (const [key, n] of Object.entries(csv.byChannel))
    assert.equal(gauge(...(key.split("/") as [string, string])), n, key);
  // The report's breakdown.
  const v = (st: string) => csv.byChannel[`voice/${st}`] ?? 0;
  assert.deepEqual(report.calls, {
    total: 4,
    answered: v("answered"),
    voicemail: v("voicemail"),
    busy: v("busy"),
    noAnswer: 0,
    failed: 0,
  });
  assert.deepEqual(report.sms, { total: 2, delivered: csv.byChannel["sms/delivered"], failed: 0 });
  assert.equal(report.inProgress, 0);
  // Grouped the same everywhere; reached counts people: `both` answered and got the SMS and is one of them.
  assert.deepEqual(groups(lastProgress(live)!), alert.summary);
  assert.deepEqual(groups(webhookProgress()!), alert.summary);
  assert.deepEqual(alert.summary, { total: 6, queued: 0, atCarrier: 0, reached: 4, unreached: 1 });
  assert.equal(report.reached, alert.summary.reached);
  assert.equal(report.targeted, 5);

  // The closing message goes to exactly the ones reached.
  const closed = await s.app.inject({
    method: "POST",
    url: `/v1/alerts/${id}/close`,
    headers: bearer(s.keys.operator),
    payload: { outcome: "found", message: "De jongen is gevonden. Dank voor uw hulp." },
  });
  assert.equal(closed.statusCode, 200, closed.body);
  const closing = await eventually(
    async () => {
      const c = csvCounts((await get(`/v1/alerts/${id}/report?format=csv`)).body, "closing");
      const through = c.rows.filter((r) => r.purpose === "closing" && REACHED.has(r.status));
      return (
        c.rows.some((r) => r.purpose === "closing") &&
        through.length === c.rows.filter((r) => r.purpose === "closing").length &&
        through
      );
    },
    { what: "closing messages sent", timeoutMs: 30_000 },
  );
  assert.equal(
    closing.length,
    (await get(`/v1/alerts/${id}/report`)).json().reached,
    "reached = closing messages sent",
  );
  assert.equal(closing.length, 4);
});
