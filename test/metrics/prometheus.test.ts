import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import {
  bearer,
  createTestDb,
  emit,
  keysFor,
  startApp,
  startReceiver,
  subscribe,
  waitFor,
  type Receiver,
  type TestDb,
} from "../webhooks/harness.js";

let db: TestDb;
let app: FastifyInstance;
let keys: Awaited<ReturnType<typeof keysFor>>;
let receiver: Receiver;

before(async () => {
  db = await createTestDb();
  app = await startApp({ db, webhooks: { retryScheduleMs: [20, 20] } });
  keys = await keysFor(db);
  let calls = 0;
  receiver = await startReceiver(() => ({ status: ++calls === 1 ? 500 : 204 })); // fails once, then takes it
});
after(async () => {
  await app.close();
  await receiver.close();
  await db.drop();
});

const scrape = async (url: string) => (await app.inject({ url, headers: bearer(keys.admin) })).body;
const value = (body: string, re: RegExp) => Number(re.exec(body)?.[1] ?? NaN);

test("webhook attempts are counted by outcome; Node's metrics carry no project prefix; build_info says what runs", async () => {
  const res = await subscribe(app, keys.operator, { url: receiver.url, eventTypes: ["sighting.created"] });
  assert.equal(res.statusCode, 201, res.body);
  receiver.trust(res.json().secret);
  await emit(db, { type: "sighting.created", data: { source: "sms" } });
  await waitFor("delivered after one retry", () => receiver.received.filter((r) => r.verified).length === 2);
  const body = await waitFor("both attempts counted", async () => {
    const b = await scrape("/metrics");
    return /burgernet_webhook_attempts_total\{outcome="delivered"\} 1/.test(b) && b;
  });
  assert.equal(value(body, /burgernet_webhook_attempts_total\{outcome="retry"\} (\d+)/), 1);
  assert.match(body, /^nodejs_eventloop_lag_seconds /m);
  assert.doesNotMatch(body, /^burgernet_(process|nodejs)_/m);
  assert.match(body, /^burgernet_build_info\{version="0\.\d+\.\d+",commit="[^"]*",node="v\d+[^"]*"\} 1$/m);
});

test("figures read from the database are on /metrics/database only, so summing /metrics over instances never doubles them", async () => {
  const processBody = await scrape("/metrics");
  const databaseBody = await scrape("/metrics/database");
  assert.doesNotMatch(processBody, /burgernet_webhook_outbox_depth|burgernet_deliveries\{/);
  assert.match(databaseBody, /# TYPE burgernet_webhook_outbox_depth gauge/);
  assert.match(databaseBody, /# TYPE burgernet_deliveries gauge/);
  assert.doesNotMatch(databaseBody, /process_cpu|burgernet_http_request/, "nothing of the process there");
  assert.equal((await app.inject({ url: "/metrics/database" })).statusCode, 401, "private like /metrics");
});
