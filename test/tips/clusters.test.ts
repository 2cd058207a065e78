import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { bearer, type Stack } from "../helpers/stack.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";
import { BURGERNET, seedAlert, seedDelivery, startIvrStack } from "../ivr/helpers.js";
import { startReceiver, waitFor, type Receiver } from "../webhooks/harness.js";

let s: Stack;
let receiver: Receiver;
let n = 0;

before(async () => {
  s = await startIvrStack({ env: { WEBHOOK_ALLOW_PRIVATE: "true" } });
  receiver = await startReceiver();
  const sub = await s.app.inject({
    method: "POST",
    url: "/v1/webhooks",
    headers: bearer(s.keys.operator),
    payload: { url: receiver.url, eventTypes: ["sighting.clustered"] },
  });
  assert.equal(sub.statusCode, 201, sub.body);
  receiver.trust(sub.json().secret);
});
after(async () => {
  await receiver.close();
  await s.close();
});

/** A participant the alert reached by SMS, `east` metres east of the Dam, texting a tip back. */
async function tip(alertId: string, text: string, east = 0): Promise<string> {
  const phone = mobile(900 + n++);
  const [participantId] = await seedParticipants(s.db, [{ phone, ...offset(dam, east) }]);
  await seedDelivery(s.db, { alertId, participantId, phone, channel: "sms" });
  const sent = await s.emulator.sendSms({ from: phone, to: BURGERNET, body: text });
  assert.match(sent.replies[0]?.body ?? "", /uw tip is doorgegeven/);
  const row = await s.db.query<{ id: string }>("SELECT id FROM sightings WHERE caller_phone = $1", [phone]);
  return row.rows[0].id;
}

const get = (url: string, key = s.keys.operator) => s.app.inject({ method: "GET", url, headers: bearer(key) });
const clusterOf = async (id: string) => (await get(`/v1/sightings/${id}`)).json().clusterId as string;
const clusteredEvents = (alertId: string) =>
  receiver.received
    .map((r) => JSON.parse(r.body))
    .filter((b) => b.type === "sighting.clustered" && b.data.alertId === alertId);

describe("tips grouped for the operator", () => {
  test("three tips naming one plate (typed, spoken, lower case) are one group; an unrelated tip stands apart", async () => {
    const alertId = await seedAlert(s.db, { kind: "vehicle", nl: "Gezocht: grijze auto met kenteken 12-ABC-3." });
    // Far apart (2 km between callers), so only the plate can tie them.
    const typed = await tip(alertId, "Ik zag de 12-ABC-3 bij het station", 0);
    const spoken = await tip(alertId, "twaalf a b c drie rijdt richting Noord", 2000);
    const lower = await tip(alertId, "kenteken 12abc3 staat nu stil", 4000);
    const other = await tip(alertId, "Verdachte man op een fiets", 6000);

    const res = await get(`/v1/alerts/${alertId}/sightings?groupBy=cluster`);
    assert.equal(res.statusCode, 200, res.body);
    const { groups, next } = res.json();
    assert.equal(next, null);
    assert.equal(groups.length, 2);
    const [newest, plateGroup] = groups;
    assert.equal(newest.clusterId, other, "the group with the latest tip comes first");
    assert.equal(newest.count, 1);
    assert.deepEqual(newest.plates, []);
    assert.equal(plateGroup.clusterId, typed, "a group is named by its first tip");
    assert.equal(plateGroup.count, 3);
    assert.deepEqual(plateGroup.plates, ["12-ABC-3"]);
    assert.equal(plateGroup.namesAlertPlate, true);
    assert.deepEqual(plateGroup.sightingIds, [lower, spoken, typed]);
    assert.equal(plateGroup.newest.id, lower);
    assert.equal(plateGroup.newest.plate, "12-ABC-3");
    assert.equal(plateGroup.newest.namesAlertPlate, true);
    assert.equal(plateGroup.newest.caller, `+316•••••${String(900 + n - 2).slice(-3)}`, "the caller stays masked");

    const events = await waitFor("two sighting.clustered webhooks", () => {
      const e = clusteredEvents(alertId);
      return e.length >= 2 && e;
    });
    assert.deepEqual(
      events.map((e) => [e.data.clusterId, e.data.sightingId, e.data.count, e.data.plates, e.data.reasons]),
      [
        [typed, spoken, 2, ["12-ABC-3"], ["plate"]],
        [typed, lower, 3, ["12-ABC-3"], ["plate"]],
      ],
    );
    assert.ok(!JSON.stringify(events).includes("station"), "no transcript in the clustered event");
    assert.ok(receiver.received.every((r) => r.verified));
  });

  test("a tip naming another plate than the alert's is not marked", async () => {
    const alertId = await seedAlert(s.db, { nl: "Gezocht: auto met kenteken 12-ABC-3." });
    const id = await tip(alertId, "ik zag XX-99-99 hard wegrijden");
    const one = (await get(`/v1/sightings/${id}`)).json();
    assert.deepEqual([one.plate, one.plates, one.namesAlertPlate], ["XX-99-99", ["XX-99-99"], false]);
  });

  test("a plate filled in from a template, spelled in the voice text's SSML, is the alert's own plate", async () => {
    const alertId = await seedAlert(s.db, {
      kind: "vehicle",
      nl: 'Gezocht: een grijze auto met kenteken <say-as interpret-as="spell-out">GB-123-X</say-as>.',
    });
    const id = await tip(alertId, "de gb-123-x staat bij de pomp");
    const one = (await get(`/v1/sightings/${id}`)).json();
    assert.deepEqual([one.plate, one.namesAlertPlate], ["GB-123-X", true]);
  });

  test("the same clothing words in Dutch and English make a group", async () => {
    const alertId = await seedAlert(s.db);
    const a = await tip(alertId, "Man met een rode jas bij de Bijenkorf", 0);
    const b = await tip(alertId, "I saw a man in a red jacket on the Rokin", 3000);
    const c = await tip(alertId, "Een blauwe jas liep langs", 6000);
    assert.equal(await clusterOf(b), a);
    assert.equal(await clusterOf(c), c);
  });

  test("callers targeted within 400 m of each other make a group; 1 km apart they do not", async () => {
    const alertId = await seedAlert(s.db);
    const a = await tip(alertId, "Iemand rent weg over het plein", 0);
    const b = await tip(alertId, "Ik hoorde geschreeuw", 250);
    const c = await tip(alertId, "Er staat iemand bij de bushalte", 1250);
    assert.equal(await clusterOf(b), a);
    assert.equal(await clusterOf(c), c);
    const place = (await get(`/v1/sightings/${a}`)).json().place;
    assert.deepEqual(place, { lat: 52.374, lon: 4.892 }, "the place is on the 0.002° grid, not the address");
  });

  test("a tip that ties two groups merges them into the older one, and says which it absorbed", async () => {
    const alertId = await seedAlert(s.db);
    const plate = await tip(alertId, "AB-12-CD reed door rood", 0);
    const jacket = await tip(alertId, "vrouw in een groene jas", 3000);
    const both = await tip(alertId, "de vrouw in de groene jas stapte in de AB-12-CD", 6000);
    for (const id of [plate, jacket, both]) assert.equal(await clusterOf(id), plate);
    const event = await waitFor("the merge event", () =>
      clusteredEvents(alertId).find((e) => e.data.sightingId === both),
    );
    assert.deepEqual(event.data.mergedClusterIds, [jacket]);
    assert.equal(event.data.count, 3);
  });

  test("groups are for the alert's own unit only; after with groupBy is a 400", async () => {
    const alertId = await seedAlert(s.db);
    await tip(alertId, "iets gezien");
    const other = await get(`/v1/alerts/${alertId}/sightings?groupBy=cluster`, s.keys.otherRegion);
    assert.equal(other.statusCode, 404);
    const bad = await get(`/v1/alerts/${alertId}/sightings?groupBy=cluster&after=abc`);
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, "BN_VALIDATION");
    const wrong = await get(`/v1/alerts/${alertId}/sightings?groupBy=plate`);
    assert.equal(wrong.statusCode, 400);
  });
});
