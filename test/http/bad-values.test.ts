import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { bearer, startStack, type Stack } from "../helpers/stack.js";
import { rowCounts } from "../helpers/rows.js";
import { seedAlert } from "../ivr/helpers.js";
import { capturedLogger } from "../helpers/log-capture.js";

// Issue 21 §4: every one of these gave a 500 with a stack (and the jsonb error logged the user's text).
const { lines, logger } = capturedLogger("info");
let s: Stack;
let alertId: string;
let webhookId: string;
/** A word that must never reach the log: the user's text around the bad character. */
const MARK = "Zeldzaamwoord";

before(async () => {
  s = await startStack({
    env: { WEBHOOK_ALLOW_PRIVATE: "true" },
    dispatch: { autoStart: false },
    webhooks: { enabled: false },
    logger,
  });
  alertId = await seedAlert(s.db);
  const hook = await s.app.inject({
    method: "POST",
    url: "/v1/webhooks",
    headers: bearer(s.keys.operator),
    payload: { url: "https://127.0.0.1:9/hook", eventTypes: ["alert.created"] },
  });
  assert.equal(hook.statusCode, 201, hook.body);
  webhookId = hook.json().id;
});
after(() => s.close());

type Req = { method: "GET" | "POST" | "PATCH"; url: string; payload?: unknown; headers?: Record<string, string> };

/** A 4xx in the one error shape, nothing written, the user's text not in the log. */
async function refused(req: Req, key = s.keys.operator) {
  const before = await rowCounts(s.db);
  const from = lines.length;
  const res = await s.app.inject({ ...req, headers: { ...bearer(key), ...req.headers } } as never);
  assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${req.method} ${req.url}: ${res.statusCode} ${res.body}`);
  const body = res.json();
  assert.equal(typeof body.error?.code, "string", res.body);
  assert.equal(typeof body.error?.message, "string", res.body);
  assert.deepEqual(await rowCounts(s.db), before, `${req.method} ${req.url} wrote something`);
  const log = lines.slice(from).join("\n");
  assert.ok(!log.includes(MARK), `the user's text is in the log: ${log.slice(0, 1000)}`);
  assert.ok(!/"level":50/.test(log), `logged as an error: ${log.slice(0, 1000)}`);
  return res;
}

const alertBody = (voice: string, sms = "Gezocht: man, rode jas.") => ({
  kind: "suspect",
  texts: { nl: { voice, sms } },
  area: { type: "circle", center: { lat: 52.3731, lon: 4.8926 }, radiusMeters: 1000 },
  channels: ["voice", "sms"],
  dispatch: false,
});
const cursor = (text: string) => Buffer.from(text).toString("base64url");

describe("numbers, dates and cursors out of range get a 400", () => {
  test("an alert's deliveries after 99999999999999999999", async () => {
    await refused({ method: "GET", url: `/v1/alerts/${alertId}/deliveries?after=99999999999999999999` });
    await refused({ method: "GET", url: `/v1/alerts/${alertId}/deliveries?after=9223372036854775808` });
  });

  test("a webhook's deliveries before 1e20", async () => {
    await refused({ method: "GET", url: `/v1/webhooks/${webhookId}/deliveries?before=1e20` });
  });

  test("alerts before a leap second, before year 1 or after 9999", async () => {
    for (const before of ["9999-12-31T23:59:60Z", "0000-01-01T00:00:00Z", "2024-02-30T00:00:00Z"])
      await refused({ method: "GET", url: `/v1/alerts?before=${encodeURIComponent(before)}` });
  });

  test("a replay since year 0 or until a leap second", async () => {
    const url = `/v1/webhooks/${webhookId}/replay`;
    await refused({ method: "POST", url, payload: { since: "0000-01-01T00:00:00Z" } });
    await refused({ method: "POST", url, payload: { since: "2024-01-01T00:00:00Z", until: "9999-12-31T23:59:60Z" } });
  });

  test("a sightings cursor with 36 dashes as its id, or the year -271821", async () => {
    const url = `/v1/alerts/${alertId}/sightings?after=`;
    await refused({ method: "GET", url: url + cursor(`2024-01-01T00:00:00.000Z|${"-".repeat(36)}`) });
    const far = new Date(-8.64e15).toISOString();
    await refused({ method: "GET", url: url + cursor(`${far}|${crypto.randomUUID()}`) });
    await refused({ method: "GET", url: url + "x".repeat(5000) });
  });
});

describe("NUL and lone surrogates in a text get a 400", () => {
  for (const [name, ch, inQuery] of [
    ["NUL", "\u0000", "%00"],
    ["a lone surrogate", "\ud800", "%ED%A0%80"],
    ["a lone low surrogate", "\udc00", "%ED%B0%80"],
  ]) {
    const bad = `${MARK}${ch}${MARK}`;
    test(`${name} in an alert text, a close message, a webhook description, a houseNumber`, async () => {
      await refused({ method: "POST", url: "/v1/alerts", payload: alertBody(bad) });
      await refused({ method: "POST", url: "/v1/alerts/preview", payload: alertBody("Gezocht", bad) });
      await refused({
        method: "POST",
        url: `/v1/alerts/${alertId}/close`,
        payload: { outcome: "found", message: bad },
      });
      await refused({
        method: "POST",
        url: "/v1/webhooks",
        payload: { url: "https://127.0.0.1:9/other", eventTypes: ["alert.created"], description: bad },
      });
      await refused({ method: "PATCH", url: `/v1/webhooks/${webhookId}`, payload: { description: bad } });
      await refused(
        {
          method: "POST",
          url: "/v1/participants",
          payload: {
            phone: "+31612399001",
            channels: ["sms"],
            locations: [{ kind: "home", postcode: "1012 AB", houseNumber: `12${ch}` }],
          },
        },
        s.keys.registration,
      );
      await refused({ method: "GET", url: `/v1/alerts?status=${MARK}${inQuery}` });
    });
  }

  test("a well-formed pair (an emoji) is text like any other", async () => {
    const res = await s.app.inject({
      method: "POST",
      url: "/v1/alerts/preview",
      headers: bearer(s.keys.operator),
      payload: alertBody("Gezocht 🚲"),
    });
    assert.equal(res.statusCode, 200, res.body);
  });
});

describe("CAP messages too deep or too large", () => {
  const post = (xml: string) => ({
    method: "POST" as const,
    url: "/v1/cap",
    payload: xml,
    headers: { "content-type": "application/cap+xml" },
  });

  test("18,000 nested elements", async () => {
    const depth = 18_000;
    await refused(post(`<alert>${"<a>".repeat(depth)}${"</a>".repeat(depth)}</alert>`));
  });

  test("a CAP 1.2 alert nested 200 deep inside its info", async () => {
    const ns = "urn:oasis:names:tc:emergency:cap:1.2";
    await refused(post(`<alert xmlns="${ns}"><info>${"<x>".repeat(200)}${"</x>".repeat(200)}</info></alert>`));
  });

  test("NUL inside the XML", async () => {
    await refused(post(`<alert>${MARK}\u0000</alert>`));
  });
});

test("the service still answers /readyz", async () => {
  const res = await s.app.inject({ method: "GET", url: "/readyz" });
  assert.equal(res.statusCode, 200, res.body);
});
