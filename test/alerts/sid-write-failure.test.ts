import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/db/db.js";
import { bearer, startStack, type Stack } from "../helpers/stack.js";
import { createTestDb } from "../helpers/db.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";
import { eventually } from "../helpers/eventually.js";

let s: Stack;
let testDb: Awaited<ReturnType<typeof createTestDb>>;
let failures = 0;
const phones = [mobile(91_000), mobile(91_001), mobile(91_002)];

before(async () => {
  testDb = await createTestDb();
  // The database cannot be reached when the dispatcher stores a SID, 8 times: the carrier had accepted each of
  // those requests. The old dispatcher read that error (ECONNREFUSED) as the carrier's ("retryable") and sent again.
  const db: Db = {
    ...testDb,
    query: ((text: Parameters<Db["query"]>[0], values?: unknown[]) => {
      if (typeof text === "object" && text.name?.startsWith("dispatch-submitted") && failures < 8) {
        failures++;
        return Promise.reject(
          Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
        );
      }
      return testDb.query(text, values);
    }) as Db["query"],
  };
  s = await startStack({ db, dispatch: { requestTimeoutMs: 500, callbackTimeoutMs: 300 } });
  await seedParticipants(
    s.db,
    phones.map((phone, i) => ({ phone, ...offset(dam, 100 + i * 50), channels: ["voice"] })),
  );
});
after(async () => {
  await s.close();
  await testDb.drop();
});

test("a database failure after the carrier accepted is reconciled, never read as a carrier failure, never resent", async () => {
  // With the callbacks lost too, only the carrier's list and fetch can tell what happened.
  s.emulator.loseCallbacks();
  const res = await s.app.inject({
    method: "POST",
    url: "/v1/alerts",
    headers: bearer(s.keys.operator),
    payload: {
      kind: "suspect",
      priority: "urgent",
      channels: ["voice"],
      area: { type: "circle", center: dam, radiusMeters: 500 },
      texts: { nl: { voice: "Let op een man met een rode jas.", sms: "Man, rode jas." } },
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  const rows = await eventually(
    async () => {
      const r = (
        await s.db.query<{ phone: string; status: string; provider_sid: string | null }>(
          "SELECT phone, status, provider_sid FROM deliveries WHERE alert_id = $1 ORDER BY phone",
          [res.json().id],
        )
      ).rows;
      return r.every((d) => d.status === "answered") && r;
    },
    { what: "everyone answered", timeoutMs: 60_000 },
  );
  assert.ok(failures >= 4, `SID writes failed ${failures} times`);
  for (const d of rows) {
    const calls = s.emulator.callsTo(d.phone);
    assert.equal(calls.length, 1, `${d.phone} called once`);
    assert.equal(d.provider_sid, calls[0].sid, "the SID found at the carrier is the one stored");
  }
});
