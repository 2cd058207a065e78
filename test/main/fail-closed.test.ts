import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTestDb } from "../helpers/db.js";
import { startServiceProcess, urlWithSchema } from "../helpers/service-process.js";
import { freePort } from "../helpers/stack.js";

let db: Awaited<ReturnType<typeof createTestDb>>;
let databaseUrl: string;
before(async () => {
  db = await createTestDb();
  databaseUrl = urlWithSchema(process.env.DATABASE_URL!, db.schema);
});
after(() => db.drop());

const carrier = {
  TWILIO_ACCOUNT_SID: `AC${"1".repeat(32)}`,
  TWILIO_AUTH_TOKEN: "a-real-looking-auth-token-0001",
  TWILIO_API_URL: "http://127.0.0.1:9",
};

async function refusesToStart(env: Record<string, string>, names: RegExp) {
  const service = startServiceProcess({ PORT: String(await freePort()), ...env });
  service.ready.catch(() => {});
  const code = await service.exited;
  assert.notEqual(code, 0, service.output());
  assert.match(service.output(), names);
  assert.doesNotMatch(service.output(), /Server listening at/);
}

describe("NODE_ENV=production fails closed", () => {
  test("without Twilio credentials it does not start, and says what is missing", () =>
    refusesToStart(
      { NODE_ENV: "production", DATABASE_URL: databaseUrl, PUBLIC_URL: "https://burgernet.example" },
      /TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are required in production/,
    ));

  test("without DATABASE_URL it does not start (no embedded database in production)", () =>
    refusesToStart(
      { NODE_ENV: "production", PUBLIC_URL: "https://burgernet.example", ...carrier },
      /DATABASE_URL is required in production/,
    ));

  test("PUBLIC_URL must be https", () =>
    refusesToStart(
      { NODE_ENV: "production", DATABASE_URL: databaseUrl, PUBLIC_URL: "http://burgernet.example", ...carrier },
      /PUBLIC_URL must be an https URL/,
    ));

  test("an empty Twilio auth token is a configuration error in any mode", () =>
    refusesToStart({ DATABASE_URL: databaseUrl, ...carrier, TWILIO_AUTH_TOKEN: "" }, /TWILIO_AUTH_TOKEN is empty/));

  test("SIMULATED_NETWORK=true starts, and /readyz and /metrics say the network is simulated; /metrics is private; /healthz names the commit", async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const service = startServiceProcess({
      NODE_ENV: "production",
      SIMULATED_NETWORK: "true",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      SIM_TIME_SCALE: "0.01",
      BUILD_COMMIT: "0123456789abcdef0123456789abcdef01234567",
    });
    try {
      await service.ready;
      const base = `http://127.0.0.1:${port}`;
      const ready = await (await fetch(`${base}/readyz`)).json();
      assert.equal(ready.status, "ok");
      assert.equal(ready.network, "simulated");
      assert.equal((await fetch(`${base}/metrics`)).status, 404, "not on the API port when METRICS_PORT is set");
      assert.equal((await fetch(`${base}/docs/`)).status, 404, "no browsable docs unless DOCS_PUBLIC=true");
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      assert.match(metrics, /^burgernet_simulated_network 1$/m);
      assert.match(metrics, /^burgernet_build_info\{[^}]*commit="0123456789abcdef0123456789abcdef01234567"/m);
      // The database's figures are scraped on the metrics port too: the API port (all a load balancer sees) has none.
      assert.equal((await fetch(`${base}/metrics/database`)).status, 404);
      const database = await fetch(`http://127.0.0.1:${metricsPort}/metrics/database`);
      assert.equal(database.status, 200);
      assert.match(await database.text(), /^# TYPE burgernet_deliveries gauge$/m);
      const health = await (await fetch(`${base}/healthz`)).json();
      assert.equal(health.status, "ok");
      assert.equal(health.commit, "0123456789abcdef0123456789abcdef01234567");
      assert.match(health.version, /^\d+\.\d+\.\d+/);
    } finally {
      service.child.kill("SIGTERM");
      await service.exited;
    }
  });
});
