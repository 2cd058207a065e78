import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../../src/config.js";
import type { Queryable } from "../../src/db/db.js";
import { takeAttemptSlot, takeSendSlot, type CodeLimits } from "../../src/participants/code-limits.js";

// The counting itself is SQL (sql/012, test/participants/toll-fraud.test.ts runs it); here: which limits it is
// given, and what a refusal tells the caller. `full` is what the database answers: the limit reached, or null.
function recording(full: "phone" | "key" | "total" | null) {
  const calls: unknown[][] = [];
  const tx = {
    query: async (_sql: string, values: unknown[]) => {
      calls.push(values);
      return { rows: [{ full }] };
    },
  } as unknown as Queryable;
  return { tx, calls };
}

const PHONE = "+31612345678";
const KEY = "6f1c2a9e-8b7d-4c3e-9a1f-2d4b6c8e0f13";
const AT = new Date("2026-12-01T20:00:00Z");
const { codeLimits } = loadConfig({});
const MAX = 2_147_483_647;

test("by default 3 codes per phone, 1000 per API key and 5000 in all per hour; 5 tries per phone", () => {
  assert.deepEqual(codeLimits, { perPhone: 3, perKey: 1000, total: 5000, attemptsPerPhone: 5 });
});

test("a code send is counted against the phone, the key and the total, with the phone only as a hash", async () => {
  const { tx, calls } = recording(null);
  await takeSendSlot(tx, PHONE, KEY, AT, codeLimits);
  const [[kind, hash, key, at, perPhone, perKey, total]] = calls;
  assert.deepEqual([kind, key, at, perPhone, perKey, total], ["send", KEY, AT, 3, 1000, 5000]);
  assert.match(String(hash), /^[0-9a-f]{64}$/);
  // The same phone always counts in the same row; another phone in another.
  await takeSendSlot(tx, PHONE, KEY, AT, codeLimits);
  await takeSendSlot(tx, "+31612345679", KEY, AT, codeLimits);
  assert.equal(calls[1][1], hash);
  assert.notEqual(calls[2][1], hash);
});

test("an actor that is no API key (a citizen who texts the code back) is counted without a key", async () => {
  const { tx, calls } = recording(null);
  await takeSendSlot(tx, PHONE, "citizen:sms", AT, codeLimits);
  await takeSendSlot(tx, PHONE, `${KEY}0`, AT, codeLimits);
  await takeSendSlot(tx, PHONE, `x${KEY}`, AT, codeLimits);
  await takeSendSlot(tx, PHONE, KEY.toUpperCase(), AT, codeLimits);
  assert.deepEqual(
    calls.map((c) => c[2]),
    [null, null, null, KEY.toUpperCase()],
  );
});

test("a code try is counted against the phone alone, with its own limit", async () => {
  const { tx, calls } = recording(null);
  assert.equal(await takeAttemptSlot(tx, PHONE, KEY, AT, { ...codeLimits, attemptsPerPhone: 7 }), true);
  const [[kind, , key, , perPhone, perKey, total]] = calls;
  assert.deepEqual([kind, key, perPhone, perKey, total], ["attempt", KEY, 7, MAX, MAX]);
  assert.equal(await takeAttemptSlot(recording("phone").tx, PHONE, KEY, AT, codeLimits), false);
});

test("a refused send is a 429 that says which limit was reached, per hour", async () => {
  const limits: CodeLimits = { perPhone: 1, perKey: 2, total: 3, attemptsPerPhone: 4 };
  const rows: ["phone" | "key" | "total", RegExp][] = [
    ["phone", /to this number/],
    ["key", /for this API key/],
    ["total", /in the last hour/],
  ];
  for (const [full, message] of rows) {
    await assert.rejects(takeSendSlot(recording(full).tx, PHONE, KEY, AT, limits), (err: Error) => {
      const e = err as Error & { statusCode: number; code: string; details: unknown };
      assert.equal(e.statusCode, 429);
      assert.equal(e.code, "BN_RATE_LIMITED");
      assert.match(e.message, message);
      assert.match(e.message, /try again later/);
      assert.deepEqual(e.details, { limit: full, perHour: true });
      return true;
    });
  }
});
