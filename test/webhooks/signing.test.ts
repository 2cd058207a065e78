import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Webhook } from "standardwebhooks";
import { generateSecret, sign, signatureHeader, signedHeaders } from "../../src/webhooks/signing.js";
import {
  nextDelayMs,
  parseRetryAfter,
  DEFAULT_RETRY_SCHEDULE_MS,
  DEFAULT_MAX_AGE_MS,
} from "../../src/webhooks/retry.js";

interface Vector {
  name: string;
  secret: string;
  "webhook-id": string;
  "webhook-timestamp": string;
  payload: string;
  "webhook-signature": string;
}
const vectors = JSON.parse(
  readFileSync(new URL("../fixtures/standard_webhooks_test_vectors.json", import.meta.url), "utf8"),
) as {
  vectors: Vector[];
  negative_cases: { name: string; base?: string; "webhook-signature"?: string; payload?: string }[];
};

describe("Standard Webhooks signing", () => {
  for (const v of vectors.vectors) {
    test(`reproduces the shared vector ${v.name}`, () => {
      assert.equal(sign(v.secret, v["webhook-id"], v["webhook-timestamp"], v.payload), v["webhook-signature"]);
    });
  }

  test("our signatures never match the vector's negative cases", () => {
    const base = vectors.vectors[0];
    for (const n of vectors.negative_cases.filter(
      (c) => c.base === "upstream-1" && (c["webhook-signature"] || c.payload),
    )) {
      const ours = sign(base.secret, base["webhook-id"], base["webhook-timestamp"], n.payload ?? base.payload);
      const theirs = (n["webhook-signature"] ?? base["webhook-signature"]).split(" ");
      const match = theirs.includes(ours);
      assert.equal(match, n.name === "multi-signature", n.name);
    }
  });

  test("headers we produce verify with the standardwebhooks package, before and during a rotation", () => {
    const oldSecret = generateSecret();
    const newSecret = generateSecret();
    const body = JSON.stringify({ type: "sighting.created", timestamp: new Date().toISOString(), data: { a: 1 } });
    const single = signedHeaders([oldSecret], "evt_1", new Date(), body);
    assert.doesNotThrow(() => new Webhook(oldSecret).verify(body, { ...single }));
    assert.throws(() => new Webhook(newSecret).verify(body, { ...single }));
    const both = signedHeaders([newSecret, oldSecret], "evt_1", new Date(), body);
    assert.doesNotThrow(() => new Webhook(oldSecret).verify(body, { ...both }));
    assert.doesNotThrow(() => new Webhook(newSecret).verify(body, { ...both }));
    assert.throws(() => new Webhook(oldSecret).verify(body + " ", { ...both }), "covers the exact bytes");
  });

  test("a stale timestamp is refused by receivers: we sign with the send time, not the event time", () => {
    const secret = generateSecret();
    const old = signedHeaders([secret], "evt_1", new Date(Date.now() - 10 * 60_000), "{}");
    assert.throws(() => new Webhook(secret).verify("{}", { ...old }));
  });

  test("the timestamp is the whole second the request went out in, never one still to come", () => {
    const secret = generateSecret();
    const at = new Date("2026-12-01T20:00:00.999Z");
    const headers = signedHeaders([secret], "evt_1", at, "{}");
    assert.equal(headers["webhook-timestamp"], String(Date.parse("2026-12-01T20:00:00Z") / 1000));
    assert.equal(headers["webhook-signature"], sign(secret, "evt_1", headers["webhook-timestamp"], "{}"));
  });

  test("a secret is whsec_ and 32 random bytes; an empty one cannot sign", () => {
    const s = generateSecret();
    assert.equal(Buffer.from(s.slice(6), "base64").length, 32);
    assert.notEqual(generateSecret(), s);
    assert.throws(() => signatureHeader(["whsec_"], "evt_1", 1, "{}"), /empty webhook secret/);
  });
});

describe("retry schedule", () => {
  const policy = { scheduleMs: DEFAULT_RETRY_SCHEDULE_MS, maxAgeMs: DEFAULT_MAX_AGE_MS, random: () => 0.5 };
  test("follows 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, then 10 h until 3 days have passed", () => {
    const delays = [];
    let age = 0;
    for (let attempt = 1; ; attempt++) {
      const d = nextDelayMs(policy, attempt, age, null);
      if (d === null) break;
      delays.push(d);
      age += d;
    }
    assert.deepEqual(delays.slice(0, 7), [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    assert.ok(age <= DEFAULT_MAX_AGE_MS && age > DEFAULT_MAX_AGE_MS - 36_000_000);
  });

  test("jitter stays within ±20%", () => {
    const lo = nextDelayMs({ ...policy, random: () => 0 }, 2, 0, null)!;
    const hi = nextDelayMs({ ...policy, random: () => 0.999999 }, 2, 0, null)!;
    assert.equal(lo, 240_000);
    assert.ok(hi > 359_000 && hi <= 360_000);
  });

  test("Retry-After pushes the next attempt out, never in; seconds and HTTP dates are both read", () => {
    assert.equal(nextDelayMs(policy, 1, 0, 60_000), 60_000);
    assert.equal(nextDelayMs(policy, 3, 0, 1_000), 1_800_000);
    const now = new Date("2026-01-01T00:00:00Z");
    assert.equal(parseRetryAfter("120", now), 120_000);
    assert.equal(parseRetryAfter("Thu, 01 Jan 2026 00:01:00 GMT", now), 60_000);
    assert.equal(parseRetryAfter("soon", now), null);
  });
});
