import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { bearer, type Stack } from "../helpers/stack.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";
import { BURGERNET, seedAlert, seedDelivery, startIvrStack } from "./helpers.js";

let stack: Stack;
let n = 0;

before(async () => {
  stack = await startIvrStack();
});
after(async () => {
  await stack.close();
});

async function participant(language: "nl" | "en" = "nl", status: "active" | "unsubscribed" = "active") {
  const phone = mobile(700 + n++);
  const [id] = await seedParticipants(stack.db, [{ phone, lat: dam.lat, lon: dam.lon, language, status }]);
  return { phone, id };
}

/** Sends an SMS to the Burgernet number and returns the SMS reply's text. */
async function sms(from: string, body: string): Promise<string> {
  const result = await stack.emulator.sendSms({ from, to: BURGERNET, body });
  assert.equal(result.status, 200);
  assert.equal(result.replies.length, 1);
  return result.replies[0].body;
}

const statusOf = async (id: string) =>
  (await stack.db.query("SELECT status FROM participants WHERE id = $1", [id])).rows[0].status;

describe("SMS to the Burgernet number", () => {
  for (const word of ["stop", "Stoppen", "  AFMELDEN! ", "afmeldén", "StOp."]) {
    test(`${JSON.stringify(word)} unsubscribes and confirms by SMS`, async () => {
      const { phone, id } = await participant();
      assert.equal(
        await sms(phone, word),
        "Burgernet: u bent afgemeld en krijgt geen oproepen meer. Weer aanmelden? Stuur START.",
      );
      assert.equal(await statusOf(id), "unsubscribed");
    });
  }

  test("STOP also withdraws a registration still waiting for its code", async () => {
    const phone = mobile(795);
    const { id } = (
      await stack.db.query<{ id: string }>(
        "INSERT INTO participants (phone, phone_type, channels, code_hash, code_expires_at) VALUES ($1, " +
          "'mobile', ARRAY['sms'], 'x', now() + interval '10 minutes') RETURNING id",
        [phone],
      )
    ).rows[0];
    assert.match(await sms(phone, "stop"), /^Burgernet: u bent afgemeld/);
    assert.equal(await statusOf(id), "unsubscribed");
    const events = (
      await stack.db.query(
        "SELECT count(*)::int AS n FROM audit_log WHERE subject_id = $1 AND action = 'participant.withdrawn'",
        [id],
      )
    ).rows[0];
    assert.equal(events.n, 1);
  });

  test("STOP from a number that is not subscribed says so", async () => {
    assert.equal(
      await sms("+31611111111", "STOP"),
      "Burgernet: dit nummer is niet aangemeld. U krijgt geen oproepen van ons.",
    );
  });

  test("an English participant's STOP is confirmed in English", async () => {
    const { phone } = await participant("en");
    assert.equal(
      await sms(phone, "Stop"),
      "Burgernet: you have been unsubscribed and will receive no more appeals. To subscribe again, send START.",
    );
  });

  test("START and AANMELDEN re-activate an unsubscribed participant; again: already subscribed", async () => {
    const { phone, id } = await participant("nl", "unsubscribed");
    assert.equal(await sms(phone, "start"), "Burgernet: u bent weer aangemeld. Afmelden kan altijd met STOP.");
    assert.equal(await statusOf(id), "active");
    assert.match(await sms(phone, "Aanmélden"), /^Burgernet: u bent al aangemeld\./);
  });

  test("START from an unknown number explains how to register", async () => {
    assert.equal(
      await sms("+31622222222", "START"),
      "Burgernet: dit nummer is nog niet aangemeld. Meld u aan via burgernet.nl of bel 0970 100 00000.",
    );
  });

  test("INFO and HELP answer with what Burgernet is; HELP from an unknown number in English", async () => {
    const { phone } = await participant();
    assert.match(
      await sms(phone, "info"),
      /^Burgernet: oproepen van de politie bij u in de buurt\. Tip\? Stuur een sms of bel 0970 100 00000\./,
    );
    assert.match(await sms("+31633333333", "Help"), /^Burgernet: police appeals near you\./);
  });

  test("the 6-digit code by SMS verifies a pending registration", async () => {
    const phone = mobile(790);
    const res = await fetch(`${stack.url}/v1/participants`, {
      method: "POST",
      headers: { ...bearer(stack.keys.registration), "content-type": "application/json" },
      body: JSON.stringify({
        phone,
        language: "nl",
        channels: ["voice", "sms"],
        locations: [{ kind: "home", postcode: "1012" }],
      }),
    });
    assert.equal(res.status, 202);
    const { id } = (await res.json()) as { id: string };
    const codeSms = await stack.emulator.waitFor(() =>
      stack.emulator.messagesTo(phone).find((m) => /\d{6}/.test(m.body)),
    );
    const code = /(\d{6})/.exec(codeSms.body)![1];
    const wrong = code === "000000" ? "111111" : "000000";
    assert.equal(await sms(phone, wrong), "Burgernet: deze code klopt niet of is verlopen. Vraag een nieuwe code aan.");
    assert.equal(await statusOf(id), "pending");
    assert.equal(
      await sms(phone, ` ${code} `),
      "Burgernet: uw aanmelding is bevestigd. Dank u wel! Afmelden kan altijd met STOP.",
    );
    assert.equal(await statusOf(id), "active");
    assert.equal(await sms(phone, code), "Burgernet: er staat geen aanmelding open voor dit nummer.");
  });

  test("VERHUIS 1234 moves the home location; unknown and missing postcodes are explained", async () => {
    const { phone, id } = await participant();
    assert.equal(await sms(phone, "verhuis 3511"), "Burgernet: uw postcode is gewijzigd in 3511 (Utrecht).");
    const home = (
      await stack.db.query(
        "SELECT postcode, lat, lon FROM participant_locations WHERE participant_id = $1 AND kind = 'home'",
        [id],
      )
    ).rows[0];
    assert.deepEqual(home, { postcode: "3511", lat: 52.0884, lon: 5.1175 });
    assert.equal(await sms(phone, "Verhuis 3511 ab"), "Burgernet: uw postcode is gewijzigd in 3511 AB (Utrecht).");
    assert.equal(
      (
        await stack.db.query("SELECT postcode FROM participant_locations WHERE participant_id = $1 AND kind = 'home'", [
          id,
        ])
      ).rows[0].postcode,
      "3511 AB",
    );
    assert.equal(
      await sms(phone, "Verhuis 1000"),
      "Burgernet: de postcode 1000 bestaat niet. Stuur VERHUIS met de 4 cijfers van uw postcode.",
    );
    assert.match(await sms(phone, "VERHUIS"), /^Burgernet: stuur VERHUIS met de 4 cijfers van uw nieuwe postcode/);
    assert.equal(
      await sms("+31644444444", "VERHUIS 3511"),
      "Burgernet: dit nummer is niet aangemeld. U krijgt geen oproepen van ons.",
    );
  });

  test("any other text is a tip for the latest running alert sent to that number", async () => {
    const { phone, id } = await participant();
    const older = await seedAlert(stack.db, { center: offset(dam, 500) });
    const latest = await seedAlert(stack.db, { center: offset(dam, 2000) });
    await seedDelivery(stack.db, { alertId: older, participantId: id, phone, channel: "sms" });
    const deliveryId = await seedDelivery(stack.db, { alertId: latest, participantId: id, phone, channel: "sms" });
    const result = await stack.emulator.sendSms({
      from: phone,
      to: BURGERNET,
      body: "Ik zie de man met de rode jas bij de Bijenkorf",
    });
    assert.equal(
      result.replies[0].body,
      "Burgernet: dank u wel, uw tip is doorgegeven aan de politie. Spoed? Bel 112.",
    );
    const [sighting] = (await stack.db.query("SELECT * FROM sightings WHERE caller_phone = $1", [phone])).rows;
    assert.equal(sighting.source, "sms");
    assert.equal(sighting.alert_id, latest);
    assert.equal(sighting.delivery_id, deliveryId);
    assert.equal(sighting.transcript, "Ik zie de man met de rode jas bij de Bijenkorf");
    assert.equal(sighting.idempotency_key, `sms:${result.message.sid}`);
    assert.ok(Math.abs(sighting.distance_m - 2000) < 20);
    const events = (
      await stack.db.query("SELECT data FROM events WHERE type = 'sighting.created' AND alert_id = $1", [latest])
    ).rows;
    assert.equal(events.length, 1);
    assert.equal(events[0].data.source, "sms");
  });

  test("a text without a running alert sent to the number is a general tip", async () => {
    const phone = "+31655555555";
    assert.match(await sms(phone, "Verdacht busje in de Kalverstraat"), /^Burgernet: dank u wel, uw tip/);
    const [sighting] = (await stack.db.query("SELECT * FROM sightings WHERE caller_phone = $1", [phone])).rows;
    assert.equal(sighting.alert_id, null);
    assert.equal(sighting.region_code, "RE03");
  });
});
