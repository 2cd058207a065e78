import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTestDb } from "../helpers/db.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";
import { resolveArea } from "../../src/alerts/area.js";
import { countTargets } from "../../src/alerts/targeting.js";
import { inQuietHours } from "../../src/rules/quiet-hours.js";
import { smsSegments } from "../../src/rules/sms-segments.js";

let db: Awaited<ReturnType<typeof createTestDb>>;
before(async () => {
  db = await createTestDb();
});
after(() => db.drop());

// Wednesday 2026-12-02 10:00 and 02:00 in Amsterdam (UTC+1 in winter).
const wednesdayMorning = new Date("2026-12-02T09:00:00Z");
const wednesdayNight = new Date("2026-12-02T01:00:00Z");
const MON_FRI = 0b0011111;

describe("who is selected", () => {
  before(async () => {
    await seedParticipants(db, [
      { phone: mobile(1), ...offset(dam, 100) },
      { phone: mobile(2), ...offset(dam, 1500), channels: ["sms"] },
      { phone: "+31205550001", phoneType: "fixed", ...offset(dam, 200), channels: ["voice", "sms"] },
      { phone: mobile(3), ...offset(dam, 3000) },
      { phone: mobile(4), ...offset(dam, 300), status: "unsubscribed" },
      // Works near the Dam on weekdays from 08:00 to 18:00, lives far away.
      { phone: mobile(5), ...offset(dam, 20_000), extra: [{ ...offset(dam, 400), kind: "work" }] },
      // Two locations inside: one delivery, at the nearer distance.
      { phone: mobile(6), ...offset(dam, 1800), extra: [{ ...offset(dam, 50), kind: "work" }] },
      // Night shift near the Dam, Mon–Fri 22:00–06:00.
      { phone: mobile(7), ...offset(dam, 600), kind: "work", window: { days: MON_FRI, from: "22:00", to: "06:00" } },
    ]);
    await db.query(
      `UPDATE participant_locations SET window_days = $1, window_from = '08:00', window_to = '18:00'
        WHERE kind = 'work' AND participant_id = (SELECT id FROM participants WHERE phone = $2)`,
      [MON_FRI, mobile(5)],
    );
  });

  const circle = resolveArea({ type: "circle", center: dam, radiusMeters: 2000 });

  test("a weekday morning: by channel, window and status", async () => {
    const c = await countTargets(db, { area: circle, channels: ["voice", "sms"], quiet: false, at: wednesdayMorning });
    // 1, 2 (sms only), landline (voice only), 5 (at work), 6 (once); not 3 (outside), 4 (unsubscribed), 7 (night shift)
    assert.equal(c.participants, 5);
    assert.equal(c.voice, 4);
    assert.equal(c.sms, 4);
    assert.equal(c.skipped.time_window, 1);
  });

  test("at night the night shift is in, the office worker is out", async () => {
    const c = await countTargets(db, { area: circle, channels: ["voice"], quiet: false, at: wednesdayNight });
    assert.equal(c.skipped.time_window, 1);
    assert.equal(c.voice, 4); // 1, landline, 6, 7 (2 is sms-only: channel)
    assert.equal(c.skipped.channel, 1);
  });

  test("quiet hours: a normal alert sends SMS instead of calling; voice-only participants are skipped", async () => {
    const c = await countTargets(db, { area: circle, channels: ["voice", "sms"], quiet: true, at: wednesdayNight });
    assert.equal(c.voice, 0);
    assert.equal(c.skipped.quiet_hours, 1); // the landline
    // 1, 2 (sms only), 6 (once), 7 (night shift); not 5 (the office is closed at night)
    assert.equal(c.sms, 4);
    assert.equal(c.participants, 4);
    assert.equal(c.skipped.time_window, 1);
  });

  test("a polygon and a municipality select by point-in-polygon", async () => {
    const square = resolveArea({
      type: "Polygon",
      coordinates: [
        [
          [dam.lon - 0.01, dam.lat - 0.01],
          [dam.lon + 0.01, dam.lat - 0.01],
          [dam.lon + 0.01, dam.lat + 0.01],
          [dam.lon - 0.01, dam.lat + 0.01],
          [dam.lon - 0.01, dam.lat - 0.01],
        ],
      ],
    });
    const inSquare = await countTargets(db, {
      area: square,
      channels: ["voice", "sms"],
      quiet: false,
      at: wednesdayMorning,
    });
    assert.equal(inSquare.participants, 4); // 1, landline, 5 (work), 6 — not 2 at 1.5 km east (0.022° of longitude)
    const amsterdam = resolveArea({ type: "municipality", code: "GM0363" });
    const inCity = await countTargets(db, {
      area: amsterdam,
      channels: ["voice", "sms"],
      quiet: false,
      at: wednesdayMorning,
    });
    assert.equal(inCity.participants, 6); // 3 at 3 km east is still in Amsterdam
  });
});

test("what the registry changes about a participant counts in targeting at once", async () => {
  const north = offset(dam, 0, 40_000);
  const phone = mobile(90);
  await seedParticipants(db, [{ phone, ...offset(north, 100), status: "pending" }]);
  const around = resolveArea({ type: "circle", center: north, radiusMeters: 1000 });
  const count = () =>
    countTargets(db, { area: around, channels: ["voice", "sms"], quiet: false, at: wednesdayMorning });
  const set = (change: string) => db.query(`UPDATE participants SET ${change} WHERE phone = $1`, [phone]);

  assert.equal((await count()).participants, 0, "not verified yet");
  await set("status = 'active'");
  assert.deepEqual(await count().then((c) => [c.participants, c.voice, c.sms]), [1, 1, 1], "verified");
  await set("language = 'en'");
  const copied = (
    await db.query(
      `SELECT DISTINCT l.phone, l.language FROM participant_locations l
         JOIN participants p ON p.id = l.participant_id WHERE p.phone = $1`,
      [phone],
    )
  ).rows;
  assert.deepEqual(copied, [{ phone, language: "en" }], "deliveries take phone and language from the locations' copy");
  await set("channels = '{sms}'");
  assert.deepEqual(await count().then((c) => [c.voice, c.sms]), [0, 1], "SMS only");
  await set("phone_type = 'fixed'");
  assert.deepEqual(await count().then((c) => [c.participants, c.skipped.channel]), [0, 1], "a landline gets no SMS");
  await set("status = 'unsubscribed'");
  assert.equal((await count()).participants, 0, "unsubscribed");
  await db.query(
    `INSERT INTO participant_locations (participant_id, kind, postcode, lat, lon, source)
     SELECT id, 'work', '1012', $2, $3, 'pc4' FROM participants WHERE phone = $1`,
    [phone, north.lat, north.lon],
  );
  assert.equal((await count()).participants, 0, "a location added later follows the participant's status");
});

describe("quiet hours and SMS segments", () => {
  test("23:00–07:00 in Amsterdam, across midnight and DST", () => {
    const h = { start: "23:00", end: "07:00" };
    assert.equal(inQuietHours(new Date("2026-12-02T22:30:00Z"), h, "Europe/Amsterdam"), true); // 23:30 CET
    assert.equal(inQuietHours(new Date("2026-12-02T06:30:00Z"), h, "Europe/Amsterdam"), false); // 07:30 CET
    assert.equal(inQuietHours(new Date("2026-07-01T05:30:00Z"), h, "Europe/Amsterdam"), false); // 07:30 CEST
    assert.equal(inQuietHours(new Date("2026-07-01T04:30:00Z"), h, "Europe/Amsterdam"), true); // 06:30 CEST
  });

  const cases: [string, string, number, "GSM-7" | "UCS-2"][] = [
    ["160 GSM characters fit one segment", "a".repeat(160), 1, "GSM-7"],
    ["161 need two of 153", "a".repeat(161), 2, "GSM-7"],
    ["the euro sign counts twice", "€".repeat(80), 1, "GSM-7"],
    ["459 fit three", "a".repeat(459), 3, "GSM-7"],
    ["one emoji makes it UCS-2", "Gezien? 👀", 1, "UCS-2"],
    ["71 UCS-2 characters need two of 67", "ş".repeat(71), 2, "UCS-2"],
    ["é is in GSM-7 but ë is not: UCS-2", "café ëxtra", 1, "UCS-2"],
  ];
  for (const [name, text, segments, encoding] of cases) {
    test(name, () => assert.deepEqual([smsSegments(text).segments, smsSegments(text).encoding], [segments, encoding]));
  }
});
