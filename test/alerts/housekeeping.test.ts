import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createTestDb } from "../helpers/db.js";
import { housekeeping } from "../../src/dispatch/queries.js";

let db: Awaited<ReturnType<typeof createTestDb>>;
before(async () => {
  db = await createTestDb();
});
after(() => db.drop());

test("IVR step keys are cleaned up once Twilio can no longer retry, recent ones stay", async () => {
  await db.query(
    `INSERT INTO ivr_steps (key, data, created_at) VALUES
       ('CAold:menu', NULL, now() - interval '3 days'),
       ('CAold:tip', '{"confidence": 0.2}', now() - interval '50 hours'),
       ('CAnew:menu', NULL, now() - interval '5 hours')`,
  );
  await housekeeping(db);
  const left = (await db.query("SELECT key FROM ivr_steps ORDER BY key")).rows.map((r) => r.key);
  assert.deepEqual(left, ["CAnew:menu"]);
});
