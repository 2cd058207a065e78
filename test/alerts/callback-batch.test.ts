import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startStack, twilioPost, type Stack } from "../helpers/stack.js";
import { dam, mobile, seedParticipants } from "../helpers/participants.js";
import { seedAlert } from "../ivr/helpers.js";

// Status callbacks that arrive together are applied in one transaction (group commit, issue 16). Whatever the
// batching, every reply means "written", the state machine never goes backwards, and one bad callback fails alone.
let s: Stack;
before(async () => {
  s = await startStack();
});
after(() => s.close());

async function atCarrier(n: number, first: number) {
  const alertId = await seedAlert(s.db, {});
  const phones = Array.from({ length: n }, (_, i) => mobile(first + i));
  const ids = await seedParticipants(
    s.db,
    phones.map((phone) => ({ phone, ...dam })),
  );
  const rows = await s.db.query<{ id: number }>(
    `INSERT INTO deliveries (alert_id, participant_id, phone, channel, purpose, language,
      rank, distance_m, status, attempts)
     SELECT $1, p.id, p.phone, 'voice', 'alert', 'nl', 1, 10, 'submitted', 1 FROM participants p WHERE p.id = ANY ($2)
     RETURNING id`,
    [alertId, ids],
  );
  // At the carrier: each with the SID the carrier answered with (sidOf).
  await s.db.query("UPDATE deliveries SET provider_sid = 'CA' || lpad(id::text, 32, '0') WHERE id = ANY ($1)", [
    rows.rows.map((r) => r.id),
  ]);
  return rows.rows.map((r) => Number(r.id));
}

const post = (delivery: number, params: Record<string, string>) =>
  twilioPost(s, `/twilio/voice/status?delivery=${delivery}&attempt=1`, params);

const sidOf = (id: number) => "CA" + String(id).padStart(32, "0");
const statusOf = async (id: number) =>
  (await s.db.query("SELECT status, duration_s FROM deliveries WHERE id = $1", [id])).rows[0];

test("200 callbacks of 50 calls at once, shuffled and with duplicates: each reply means written, none goes back", async () => {
  const ids = await atCarrier(50, 200_000);
  const busy = new Set(ids.slice(0, 5));
  const sent = ids.flatMap((id) =>
    (busy.has(id)
      ? ["busy", "busy"] // a ringing after the retry would count as a late callback of the call after all
      : ["ringing", "in-progress", "completed", "completed"]
    ).map((CallStatus) => ({ id, CallStatus })),
  );
  // A fixed shuffle: a completed may come before its ringing, as Twilio's callbacks sometimes do.
  sent.sort(
    (a, b) =>
      ((a.id * 7919 + a.CallStatus.length * 104729) % 211) - ((b.id * 7919 + b.CallStatus.length * 104729) % 211),
  );
  const seenOnReply: string[] = [];
  const replies = await Promise.all(
    sent.map(async ({ id, CallStatus }) => {
      const res = await post(id, { CallSid: sidOf(id), CallStatus, CallDuration: "12" });
      // Read at once from another connection: the change this reply acknowledges is already committed.
      if (CallStatus === "completed") seenOnReply.push((await statusOf(id)).status);
      return res.statusCode;
    }),
  );
  assert.deepEqual(new Set(replies), new Set([204]));
  assert.deepEqual(new Set(seenOnReply), new Set(["answered"]));
  for (const id of ids) {
    const d = await statusOf(id);
    if (busy.has(id)) assert.equal(d.status, "pending", `a busy call is in line again (${id})`);
    else assert.deepEqual(d, { status: "answered", duration_s: 12 });
  }
  const events = await s.db.query("SELECT count(*)::int AS n FROM call_events WHERE delivery_id = ANY ($1)", [ids]);
  assert.equal(events.rows[0].n, sent.length, "every callback recorded raw, duplicates too");
});

test("a callback that cannot be written fails alone; the others that came with it are written", async () => {
  const ids = await atCarrier(10, 201_000);
  const replies = await Promise.all(
    ids.map((id, i) =>
      post(id, { CallSid: sidOf(id), CallStatus: "completed", CallDuration: i === 3 ? "99999999999" : "20" }),
    ),
  );
  const codes = replies.map((r) => r.statusCode);
  assert.ok(codes[3] >= 400, `the unwritable one is refused (${codes[3]})`);
  assert.deepEqual(
    codes.filter((_, i) => i !== 3),
    ids.slice(1).map(() => 204),
  );
  for (const [i, id] of ids.entries())
    assert.equal((await statusOf(id)).status, i === 3 ? "submitted" : "answered", `delivery ${i}`);
});
