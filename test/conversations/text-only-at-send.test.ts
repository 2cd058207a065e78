import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { holdQueries } from "../../src/deliveries/hold.js";
import { sendTransitions as q } from "../../src/deliveries/send.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";
import { bearer, startStack, type Stack } from "../helpers/stack.js";

let s: Stack;
const phones = [mobile(2950), mobile(2951)];
let ids: string[];

before(async () => {
  s = await startStack({ dispatch: { autoStart: false } });
  ids = await seedParticipants(
    s.db,
    phones.map((phone, i) => ({ phone, ...offset(dam, 100 + i * 10), channels: i === 1 ? ["voice"] : undefined })),
  );
});
after(() => s.close());

test("a participant who became text only after targeting is not called: the call becomes an SMS", async () => {
  const res = await s.app.inject({
    method: "POST",
    url: "/v1/alerts",
    headers: bearer(s.keys.operator),
    payload: {
      kind: "missing_person",
      priority: "urgent",
      channels: ["voice"],
      texts: { nl: { voice: "Vermist: een man.", sms: "Vermist: man." } },
      area: { type: "circle", center: dam, radiusMeters: 500 },
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  const held = await holdQueries.hold(s.db, "voice", "instance-a", 10, 60_000, 0);
  assert.equal(held.length, 2, "both targeted by voice");
  // Meanwhile both say "text only" (the second has no SMS channel: the PATCH would refuse it, the table may not).
  await s.db.query("UPDATE participants SET text_only = true WHERE id = ANY ($1)", [ids]);
  const byPhone = new Map(
    (await s.db.query("SELECT id, phone FROM deliveries WHERE alert_id = $1", [res.json().id])).rows.map((r) => [
      r.phone,
      r.id,
    ]),
  );
  const converted = (await q.take(s.db, byPhone.get(phones[0]), "instance-a", false, 60_000)).rows[0];
  assert.deepEqual([converted.status, converted.channel], ["pending", "sms"]);
  const ended = (await q.take(s.db, byPhone.get(phones[1]), "instance-a", false, 60_000)).rows[0];
  assert.deepEqual([ended.status, ended.end_reason], ["canceled", "channel_removed"]);
});
