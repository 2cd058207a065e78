import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Stack } from "../helpers/stack.js";
import { dam, mobile, seedParticipants } from "../helpers/participants.js";
import { callAlert, heard, heardText, MELDKAMER, seedAlert, seedDelivery, startIvrStack } from "./helpers.js";

let stack: Stack;
let n = 0;

before(async () => {
  stack = await startIvrStack();
});
after(async () => {
  await stack.close();
});

/** A fresh participant with one delivery of a fresh alert (the dispatcher's rows). */
async function setup(opts: { language?: "nl" | "en"; en?: string } = {}) {
  const phone = mobile(100 + n++);
  const [participantId] = await seedParticipants(stack.db, [
    { phone, lat: dam.lat + 0.01, lon: dam.lon, language: opts.language },
  ]);
  const alertId = await seedAlert(stack.db, {
    nl: "Gezocht: een man met een rode jas en een zwarte fiets.",
    en: opts.en,
  });
  const deliveryId = await seedDelivery(stack.db, { alertId, participantId, phone, language: opts.language });
  return { phone, participantId, alertId, deliveryId };
}

async function sightingsOf(alertId: string) {
  return (await stack.db.query("SELECT * FROM sightings WHERE alert_id = $1 ORDER BY created_at", [alertId])).rows;
}

async function eventsOf(type: string, alertId?: string) {
  return (
    await stack.db.query("SELECT * FROM events WHERE type = $1 AND ($2::uuid IS NULL OR alert_id = $2) ORDER BY seq", [
      type,
      alertId ?? null,
    ])
  ).rows;
}

describe("the alert call", () => {
  test("plays the intro, the alert text and the menu", async () => {
    const { phone, deliveryId } = await setup();
    const { transcript } = await callAlert(stack, deliveryId, phone, { answer: "human" });
    const said = heard(transcript);
    assert.equal(said[0], "Hier volgt een oproep van Burgernet, namens de politie.");
    assert.equal(said[1], "Gezocht: een man met een rode jas en een zwarte fiets.");
    assert.match(said[2], /Druk dan 1\.$/);
    assert.ok(said.includes("Druk 9 om u af te melden voor Burgernet."));
    // Silence twice: the menu once more, then goodbye with the number to call back.
    assert.equal(transcript.filter((e) => e.kind === "silence").length, 2);
    assert.equal(said.at(-1), "U kunt ons altijd terugbellen op 0 9 7 0, 1 0 0, 0 0 0 0 0. Dank u wel en tot ziens.");
    assert.equal(transcript.at(-1)?.kind, "hangup");
  });

  test("key 1 puts the citizen through to the meldkamer and reports call.connected once", async () => {
    const { phone, alertId, deliveryId } = await setup();
    stack.emulator.setPersona(MELDKAMER, { answer: "human", talkSeconds: 30 });
    const { transcript } = await callAlert(stack, deliveryId, phone, { answer: "human", script: [{ digits: "1" }] });
    const dial = transcript.find((e) => e.kind === "dial");
    assert.deepEqual(dial && { number: dial.number, status: dial.status }, { number: MELDKAMER, status: "completed" });
    assert.match(heardText(transcript), /U wordt doorverbonden met de meldkamer/);
    assert.equal(heard(transcript).at(-1), "Dank u wel voor uw hulp. Tot ziens.");
    const events = await eventsOf("call.connected", alertId);
    assert.equal(events.length, 1);
    assert.equal(events[0].region_code, "RE05");
    assert.equal(events[0].data.deliveryId, deliveryId);
  });

  test("a key pressed while the alert is read out is taken at once, and the meldkamer hears which alert", async () => {
    const { phone, alertId, deliveryId } = await setup();
    stack.emulator.setPersona(MELDKAMER, { answer: "human", talkSeconds: 30 });
    // 5 s in: past the intro and the pause, in the middle of the alert text.
    const { transcript } = await callAlert(stack, deliveryId, phone, {
      answer: "human",
      script: [{ digits: "1", duringPrompt: 5 }],
    });
    const alertText = transcript.find((e) => e.kind === "say" && e.text.startsWith("Gezocht:"));
    assert.equal(alertText?.kind === "say" && alertText.interrupted, true, "the alert text stops at the key");
    assert.equal(
      heard(transcript).some((t) => t.includes("Druk dan 1")),
      false,
      "the menu is never read out",
    );
    const pressed = transcript.find((e) => e.kind === "pressed")!;
    assert.ok(pressed.t < 6, `pressed at ${pressed.t} s`);
    assert.match(heardText(transcript), /U wordt doorverbonden met de meldkamer/);
    const whisper = transcript.find((e) => e.kind === "whisper");
    const ref = alertId.slice(0, 6).toUpperCase().split("").join(" ");
    assert.equal(
      whisper?.kind === "whisper" && whisper.text,
      `Burgernet-melder over een verdachte, oproep ${ref}, afstand 100 meter, uit de regio Amsterdam.`,
    );
    assert.equal(transcript.find((e) => e.kind === "dial")?.status, "completed");
  });

  test("key 1 when the meldkamer does not answer offers a spoken tip", async () => {
    const { phone, alertId, deliveryId } = await setup();
    stack.emulator.setPersona(MELDKAMER, { answer: "no-answer" });
    const { transcript } = await callAlert(stack, deliveryId, phone, {
      answer: "human",
      script: [{ digits: "1" }, { speech: "Ik zag hem bij het station richting de Dam fietsen", confidence: 0.92 }],
    });
    assert.equal(transcript.find((e) => e.kind === "dial")?.status, "no-answer");
    assert.match(heardText(transcript), /De meldkamer is op dit moment niet bereikbaar/);
    const [sighting] = await sightingsOf(alertId);
    assert.equal(sighting.transcript, "Ik zag hem bij het station richting de Dam fietsen");
    assert.equal((await eventsOf("call.connected", alertId)).length, 0);
    stack.emulator.setPersona(MELDKAMER, { answer: "human" });
  });

  test("key 2 with speech stores the tip, with distance and event, before thanking the caller", async () => {
    const { phone, participantId, alertId, deliveryId } = await setup();
    const { sid, transcript } = await callAlert(stack, deliveryId, phone, {
      answer: "human",
      script: [{ digits: "2" }, { speech: "Een man in een rode jas fietst over de Damstraat", confidence: 0.87 }],
    });
    assert.equal(heard(transcript).at(-1), "Dank u wel. Uw tip is doorgegeven aan de politie. Tot ziens.");
    const [sighting] = await sightingsOf(alertId);
    assert.equal(sighting.source, "voice");
    assert.equal(sighting.delivery_id, deliveryId);
    assert.equal(sighting.participant_id, participantId);
    assert.equal(sighting.caller_phone, phone);
    assert.equal(sighting.call_sid, sid);
    assert.equal(sighting.transcript, "Een man in een rode jas fietst over de Damstraat");
    assert.ok(Math.abs(sighting.confidence - 0.87) < 1e-6);
    assert.ok(sighting.distance_m > 1000 && sighting.distance_m < 1200, `distance ${sighting.distance_m}`);
    const [event] = await eventsOf("sighting.created", alertId);
    assert.equal(event.data.sightingId, sighting.id);
    assert.equal(event.data.transcript, sighting.transcript);
  });

  test("'ja, ik heb iets gezien' chooses the tip by voice", async () => {
    const { phone, alertId, deliveryId } = await setup();
    await callAlert(stack, deliveryId, phone, {
      answer: "human",
      script: [
        { speech: "Ja, ik heb iets gezien", confidence: 0.8 },
        { speech: "Hij stond bij de bakker", confidence: 0.9 },
      ],
    });
    assert.equal((await sightingsOf(alertId))[0]?.transcript, "Hij stond bij de bakker");
  });

  test("a tip that is not understood well enough is recorded instead, keeping what was heard", async () => {
    const { phone, alertId, deliveryId } = await setup();
    const { transcript } = await callAlert(stack, deliveryId, phone, {
      answer: "human",
      script: [{ digits: "2" }, { speech: "rode jas bij ehm", confidence: 0.3 }, { record: { seconds: 12 } }],
    });
    assert.match(heardText(transcript), /Ik heb u niet goed verstaan\. Spreek uw tip in na de piep/);
    const recorded = transcript.find((e) => e.kind === "recorded");
    const [sighting] = await sightingsOf(alertId);
    assert.equal(sighting.recording_url, recorded && recorded.recordingUrl);
    assert.equal(sighting.recording_duration_s, 12);
    assert.equal(sighting.transcript, "rode jas bij ehm");
    assert.ok(Math.abs(sighting.confidence - 0.3) < 1e-6);
    assert.equal(heard(transcript).at(-1), "Dank u wel. Uw tip is doorgegeven aan de politie. Tot ziens.");
  });

  test("silence instead of a tip falls back to a recording", async () => {
    const { phone, alertId, deliveryId } = await setup();
    const { transcript } = await callAlert(stack, deliveryId, phone, {
      answer: "human",
      script: [{ digits: "2" }, { silence: true }, { record: { seconds: 8 } }],
    });
    const [sighting] = await sightingsOf(alertId);
    assert.equal(sighting.transcript, null);
    assert.ok(sighting.recording_url);
    assert.ok(transcript.some((e) => e.kind === "recorded"));
  });

  test("silence at the recording too ends politely with the callback number, storing nothing", async () => {
    const { phone, alertId, deliveryId } = await setup();
    const { transcript } = await callAlert(stack, deliveryId, phone, {
      answer: "human",
      script: [{ digits: "2" }, { silence: true }, { silence: true }],
    });
    assert.equal(
      heard(transcript).at(-1),
      "Ik heb geen tip ontvangen. U kunt ons terugbellen op 0 9 7 0, 1 0 0, 0 0 0 0 0. Tot ziens.",
    );
    assert.equal((await sightingsOf(alertId)).length, 0);
  });

  test("key 3 plays the message again", async () => {
    const { phone, deliveryId } = await setup();
    const { transcript } = await callAlert(stack, deliveryId, phone, {
      answer: "human",
      script: [{ digits: "3" }, { speech: "herhaal", confidence: 0.9 }],
    });
    assert.equal(
      heard(transcript).filter((t) => t === "Gezocht: een man met een rode jas en een zwarte fiets.").length,
      3,
    );
  });

  test("key 9 and 1 unsubscribes, with a count-only event", async () => {
    const { phone, participantId, deliveryId } = await setup();
    const before = (await eventsOf("participant.unsubscribed")).length;
    const { transcript } = await callAlert(stack, deliveryId, phone, {
      answer: "human",
      script: [{ digits: "9" }, { digits: "1" }],
    });
    assert.match(heardText(transcript), /Weet u zeker dat u zich wilt afmelden/);
    assert.match(heard(transcript).at(-1)!, /^U bent afgemeld\./);
    const p = (await stack.db.query("SELECT status FROM participants WHERE id = $1", [participantId])).rows[0];
    assert.equal(p.status, "unsubscribed");
    const events = await eventsOf("participant.unsubscribed");
    assert.equal(events.length, before + 1);
    assert.deepEqual(events.at(-1)?.data, { count: 1 });
  });

  test("key 9 without confirming keeps the subscription and returns to the menu", async () => {
    const { phone, participantId, deliveryId } = await setup();
    const { transcript } = await callAlert(stack, deliveryId, phone, {
      answer: "human",
      script: [{ digits: "9" }, { digits: "2" }, { hangup: true }],
    });
    assert.ok(heard(transcript).includes("U blijft aangemeld."));
    assert.equal(
      (await stack.db.query("SELECT status FROM participants WHERE id = $1", [participantId])).rows[0].status,
      "active",
    );
  });

  test("a wrong key twice: 'not understood', the menu again, then goodbye", async () => {
    const { phone, alertId, deliveryId } = await setup();
    const { transcript } = await callAlert(stack, deliveryId, phone, {
      answer: "human",
      script: [{ digits: "7" }, { digits: "8" }],
    });
    const said = heard(transcript);
    assert.equal(said.filter((t) => t === "Dat heb ik niet goed begrepen.").length, 1);
    assert.match(said.at(-1)!, /terugbellen op 0 9 7 0/);
    assert.equal((await sightingsOf(alertId)).length, 0);
  });

  test("hanging up in the middle of the menu writes nothing", async () => {
    const { phone, alertId, deliveryId } = await setup();
    const { call, transcript } = await callAlert(stack, deliveryId, phone, {
      answer: "human",
      script: [{ hangup: true, afterSeconds: 1 }],
    });
    assert.equal(call.status, "completed");
    assert.equal(transcript.at(-1)?.kind, "hangup");
    assert.equal((await sightingsOf(alertId)).length, 0);
  });

  test("an English participant hears the English script and the English text", async () => {
    const { phone, alertId, deliveryId } = await setup({
      language: "en",
      en: "Wanted: a man in a red coat on a black bicycle.",
    });
    const { transcript } = await callAlert(stack, deliveryId, phone, {
      answer: "human",
      script: [
        { speech: "I saw something", confidence: 0.8 },
        { speech: "He went into the station", confidence: 0.9 },
      ],
    });
    const said = heard(transcript);
    assert.equal(said[0], "This is a Burgernet appeal, on behalf of the Dutch police.");
    assert.equal(said[1], "Wanted: a man in a red coat on a black bicycle.");
    const say = transcript.find((e) => e.kind === "say");
    assert.equal(say && say.voice, "Polly.Amy-Neural");
    assert.equal((await sightingsOf(alertId))[0]?.transcript, "He went into the station");
  });

  test("an English participant of an alert without English text hears the Dutch text, introduced in English", async () => {
    const { phone, deliveryId } = await setup({ language: "en" });
    const { transcript } = await callAlert(stack, deliveryId, phone, { answer: "human", script: [{ hangup: true }] });
    assert.deepEqual(heard(transcript).slice(0, 3), [
      "This is a Burgernet appeal, on behalf of the Dutch police.",
      "This appeal is only available in Dutch. It follows now.",
      "Gezocht: een man met een rode jas en een zwarte fiets.",
    ]);
    // The Dutch text in the Dutch voice: an English voice would mangle it.
    const said = transcript.filter((e) => e.kind === "say");
    assert.deepEqual(
      said.slice(1, 3).map((e) => "voice" in e && e.voice),
      ["Polly.Amy-Neural", "Polly.Laura-Neural"],
    );
  });

  test("an alert cancelled before the call is answered is not read out", async () => {
    const { phone, alertId, deliveryId } = await setup();
    await stack.db.query("UPDATE alerts SET status = 'cancelled' WHERE id = $1", [alertId]);
    const { transcript } = await callAlert(stack, deliveryId, phone, { answer: "human" });
    assert.deepEqual(heard(transcript), [
      "Deze Burgernet-actie is inmiddels afgelopen. Dank u wel voor uw aandacht. Tot ziens.",
    ]);
  });
});
