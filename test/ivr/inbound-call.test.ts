import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import type { Stack } from "../helpers/stack.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";
import { callBurgernet, heard, heardText, MELDKAMER, seedAlert, seedDelivery, startIvrStack } from "./helpers.js";

let stack: Stack;
let n = 0;

const NO_ALERT = "Welkom bij Burgernet. Er is op dit moment geen Burgernet-actie bij u in de buurt.";

before(async () => {
  stack = await startIvrStack();
});
after(async () => {
  await stack.close();
});
// Which alerts a caller hears depends on every running alert: each test starts with none.
beforeEach(async () => {
  await stack.db.query("UPDATE alerts SET status = 'closed' WHERE status IN ('dispatching', 'active')");
});

async function registered(at = dam, language: "nl" | "en" = "nl") {
  const phone = mobile(500 + n++);
  const [participantId] = await seedParticipants(stack.db, [{ phone, lat: at.lat, lon: at.lon, language }]);
  return { phone, participantId };
}

async function sightingsFrom(phone: string) {
  return (await stack.db.query("SELECT * FROM sightings WHERE caller_phone = $1 ORDER BY created_at", [phone])).rows;
}

describe("the Burgernet number", () => {
  test("an unknown caller hears that there is no action near them and can leave a general tip", async () => {
    const phone = "+31687654321";
    const { transcript } = await callBurgernet(stack, phone, {
      answer: "human",
      script: [
        { digits: "2" },
        { speech: "Er staat al dagen een busje zonder kenteken in mijn straat", confidence: 0.9 },
      ],
    });
    const said = heard(transcript);
    assert.equal(said[0], NO_ALERT);
    // Only the choices an unknown caller has: the meldkamer and a tip.
    assert.deepEqual(said.slice(1, 3), [
      "Wilt u de meldkamer van de politie spreken? Druk dan 1.",
      "Wilt u een tip inspreken? Druk dan 2.",
    ]);
    assert.ok(!said.some((t) => t.includes("Druk 9")));
    const [sighting] = await sightingsFrom(phone);
    assert.equal(sighting.alert_id, null);
    assert.equal(sighting.source, "inbound");
    assert.equal(sighting.participant_id, null);
    assert.equal(sighting.region_code, "RE03");
    assert.equal(sighting.transcript, "Er staat al dagen een busje zonder kenteken in mijn straat");
  });

  test("an unknown caller can be put through to the meldkamer", async () => {
    stack.emulator.setPersona(MELDKAMER, { answer: "human", talkSeconds: 10 });
    const { transcript } = await callBurgernet(stack, "+31687654322", {
      answer: "human",
      script: [{ speech: "meldkamer", confidence: 0.8 }],
    });
    assert.equal(transcript.find((e) => e.kind === "dial")?.status, "completed");
    const events = (await stack.db.query("SELECT * FROM events WHERE type = 'call.connected' AND alert_id IS NULL"))
      .rows;
    assert.equal(events.length, 1);
    assert.equal(events[0].data.inbound, true);
  });

  test("a registered caller's general tip goes to the region of their home postcode", async () => {
    const { phone, participantId } = await registered(offset(dam, 0, 0));
    await stack.db.query("UPDATE participant_locations SET postcode = '3011' WHERE participant_id = $1", [
      participantId,
    ]);
    await callBurgernet(stack, phone, {
      answer: "human",
      script: [{ digits: "2" }, { speech: "Verdachte situatie bij de haven", confidence: 0.95 }],
    });
    const [sighting] = await sightingsFrom(phone);
    assert.equal(sighting.region_code, "RE07");
    assert.equal(sighting.participant_id, participantId);
  });

  test("one action near the caller's location: they hear it and can report on it", async () => {
    const { phone, participantId } = await registered(offset(dam, 3000));
    const alertId = await seedAlert(stack.db, {
      nl: "Vermist: een meisje van acht met een gele regenjas.",
      kind: "missing_child",
    });
    const { transcript } = await callBurgernet(stack, phone, {
      answer: "human",
      script: [{ digits: "2" }, { speech: "Ik zag een meisje in een gele jas bij de bushalte", confidence: 0.9 }],
    });
    const said = heard(transcript);
    assert.equal(said[0], "Welkom bij Burgernet. Er is een Burgernet-actie bij u in de buurt.");
    assert.equal(said[1], "Vermist: een meisje van acht met een gele regenjas.");
    assert.ok(said.includes("Bent u verhuisd? Druk 4 om uw postcode te wijzigen."));
    const [sighting] = await sightingsFrom(phone);
    assert.equal(sighting.alert_id, alertId);
    assert.equal(sighting.source, "inbound");
    assert.equal(sighting.delivery_id, null);
    assert.equal(sighting.participant_id, participantId);
    assert.ok(Math.abs(sighting.distance_m - 3000) < 20, `distance ${sighting.distance_m}`);
  });

  test("put through about an action near them, the meldkamer hears which one and how far away the caller lives", async () => {
    const { phone } = await registered(offset(dam, 1200));
    const alertId = await seedAlert(stack.db, { kind: "vehicle" });
    stack.emulator.setPersona(MELDKAMER, { answer: "human", talkSeconds: 10 });
    const { transcript } = await callBurgernet(stack, phone, { answer: "human", script: [{ digits: "1" }] });
    const whisper = transcript.find((e) => e.kind === "whisper");
    const ref = alertId.slice(0, 6).toUpperCase().split("").join(" ");
    assert.equal(
      whisper?.kind === "whisper" && whisper.text,
      `Burgernet-melder over een voertuig, oproep ${ref}, afstand 1,2 kilometer, uit de regio Amsterdam.`,
    );
  });

  test("an action further than 5 km is not offered, unless it was sent to the caller", async () => {
    const { phone, participantId } = await registered(offset(dam, 8000));
    const far = await seedAlert(stack.db, { nl: "Gezocht: een grijze bestelbus." });
    let { transcript } = await callBurgernet(stack, phone, { answer: "human", script: [{ hangup: true }] });
    assert.equal(heard(transcript)[0], NO_ALERT);
    await seedDelivery(stack.db, { alertId: far, participantId, phone });
    ({ transcript } = await callBurgernet(stack, phone, { answer: "human", script: [{ hangup: true }] }));
    assert.equal(heard(transcript)[1], "Gezocht: een grijze bestelbus.");
  });

  test("expired and ended actions are not offered", async () => {
    const { phone } = await registered();
    await seedAlert(stack.db, { expiresInMs: -60_000 });
    await seedAlert(stack.db, { status: "cancelled" });
    const { transcript } = await callBurgernet(stack, phone, { answer: "human", script: [{ hangup: true }] });
    assert.equal(heard(transcript)[0], NO_ALERT);
  });

  test("several actions: the caller chooses one by key and reports on that one", async () => {
    const { phone } = await registered();
    const first = await seedAlert(stack.db, {
      nl: "Gezocht: een man met een rode jas.",
      kind: "suspect",
      createdAt: new Date(Date.now() - 600_000),
    });
    const second = await seedAlert(stack.db, { nl: "Gestolen: een blauwe scooter.", kind: "vehicle" });
    const { transcript } = await callBurgernet(stack, phone, {
      answer: "human",
      script: [{ digits: "2" }, { digits: "2" }, { speech: "De scooter staat bij de Albert Heijn", confidence: 0.9 }],
    });
    const said = heard(transcript);
    assert.equal(said[0], "Welkom bij Burgernet. Er zijn 2 Burgernet-acties bij u in de buurt.");
    // Newest first.
    assert.match(said[1], /^Voor de oproep over een voertuig van \d\d:\d\d uur, druk 1\.$/);
    assert.match(said[2], /^Voor de oproep over een verdachte van \d\d:\d\d uur, druk 2\.$/);
    assert.equal(said[3], "Gezocht: een man met een rode jas.");
    const [sighting] = await sightingsFrom(phone);
    assert.equal(sighting.alert_id, first);
    assert.notEqual(sighting.alert_id, second);
  });

  test("several actions and a wrong key: the choice again, then goodbye", async () => {
    const { phone } = await registered();
    await seedAlert(stack.db, {});
    await seedAlert(stack.db, {});
    const { transcript } = await callBurgernet(stack, phone, {
      answer: "human",
      script: [{ digits: "7" }, { digits: "9" }],
    });
    assert.match(heard(transcript).at(-1)!, /terugbellen op/);
    assert.equal((await sightingsFrom(phone)).length, 0);
  });

  test("a registered caller changes their home postcode by keypad", async () => {
    const { phone, participantId } = await registered();
    const { transcript } = await callBurgernet(stack, phone, {
      answer: "human",
      script: [{ digits: "4" }, { digits: "1000" }, { digits: "3511" }],
    });
    assert.match(heardText(transcript), /De postcode 1 0 0 0 kan ik niet vinden\./);
    assert.equal(heard(transcript).at(-1), "Uw postcode is gewijzigd in 3 5 1 1, Utrecht. Dank u wel en tot ziens.");
    const home = (
      await stack.db.query(
        "SELECT postcode, lat, lon, source FROM participant_locations WHERE participant_id = $1 AND kind = 'home'",
        [participantId],
      )
    ).rows[0];
    assert.deepEqual(home, { postcode: "3511", lat: 52.0884, lon: 5.1175, source: "pc4" });
  });

  test("a registered caller unsubscribes by phone", async () => {
    const { phone, participantId } = await registered();
    const { transcript } = await callBurgernet(stack, phone, {
      answer: "human",
      script: [{ digits: "9" }, { speech: "ja", confidence: 0.9 }],
    });
    assert.match(heard(transcript).at(-1)!, /^U bent afgemeld\./);
    assert.equal(
      (await stack.db.query("SELECT status FROM participants WHERE id = $1", [participantId])).rows[0].status,
      "unsubscribed",
    );
  });

  test("an English participant is answered in English", async () => {
    const { phone } = await registered(dam, "en");
    const { transcript } = await callBurgernet(stack, phone, { answer: "human", script: [{ hangup: true }] });
    assert.equal(heard(transcript)[0], "Welcome to Burgernet. There is no Burgernet appeal near you at the moment.");
  });
});
