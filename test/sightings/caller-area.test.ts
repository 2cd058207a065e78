import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { recordSighting } from "../../src/ivr/sightings.js";
import { bearer, type Stack } from "../helpers/stack.js";
import { dam, seedParticipants } from "../helpers/participants.js";
import { seedAlert, startIvrStack } from "../ivr/helpers.js";

let s: Stack;
before(async () => {
  s = await startIvrStack();
});
after(() => s.close());

test("a tip is placed at the centre of the caller's postcode area (PC4), never at the address", async () => {
  const alertId = await seedAlert(s.db);
  // Registered at home near the Dam (postcode 1011 …) and at work far away: the location nearest the alert counts.
  const exact = { lat: dam.lat + 0.0012, lon: dam.lon + 0.0021 };
  const [participantId] = await seedParticipants(s.db, [
    { phone: "+31612360001", ...exact, extra: [{ lat: 51.9225, lon: 4.4792, kind: "work" }] },
  ]);
  await s.db.query(
    "UPDATE participant_locations SET postcode = '3011 AB' WHERE kind = 'work' AND participant_id = $1",
    [participantId],
  );
  const base = { alertId, deliveryId: null, regionCode: "RE05", source: "inbound" as const, callerPhone: null };
  await recordSighting(s.db, { ...base, participantId, transcript: "Rode jas bij de Dam", idempotencyKey: "k1" });
  await recordSighting(s.db, { ...base, participantId: null, transcript: "Onbekende beller", idempotencyKey: "k2" });

  const res = await s.app.inject({ url: `/v1/alerts/${alertId}/sightings`, headers: bearer(s.keys.operator) });
  assert.equal(res.statusCode, 200, res.body);
  const [known, unknown] = res.json().sightings;
  assert.deepEqual(known.callerArea, { pc4: "1011", place: "Amsterdam", lat: 52.371, lon: 4.9041 });
  assert.notEqual(known.callerArea.lat, exact.lat);
  assert.equal(unknown.callerArea, null);
  assert.ok(!res.body.includes(String(exact.lat)), "the exact location is in no answer");
});
