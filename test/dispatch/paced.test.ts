// A one-off request at the shared pace (a registration code, a test call): refused on its way for having missed its
// slot (send-by.ts), it is not lost but tried again at a new slot.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import { createPace } from "../../src/dispatch/pace.js";
import { SendTooLateError } from "../../src/twilio/send-by.js";
import { createTestDb } from "../helpers/db.js";

let db: Awaited<ReturnType<typeof createTestDb>>;
before(async () => (db = await createTestDb()));
after(() => db.drop());

test("a paced request refused for lateness takes a new slot and is sent; any other error is the caller's", async () => {
  const pace = createPace({ db, cps: 10, mps: 10 });
  const tries: { sendBy: number; at: number }[] = [];
  const sid = await pace.paced("sms", async (sendBy) => {
    tries.push({ sendBy, at: performance.now() });
    if (tries.length === 1) throw new SendTooLateError(3);
    return "SM1";
  });
  assert.equal(sid, "SM1");
  assert.equal(tries.length, 2, "tried once more");
  for (const t of tries) assert.ok(t.at <= t.sendBy, "begun before its last moment");
  // One interval later by the database's clock; mapped onto ours, give or take what a better clock sample moved it.
  assert.ok(tries[1].sendBy > tries[0].sendBy, "at a later slot of its own");

  await assert.rejects(
    pace.paced("sms", async () => {
      throw Object.assign(new Error("carrier says no"), { status: 400, code: 21211 });
    }),
    /carrier says no/,
  );
});
