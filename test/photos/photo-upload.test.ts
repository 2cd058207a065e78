import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import sharp from "sharp";
import { dam, mobile, seedParticipants } from "../helpers/participants.js";
import { bearer, startStack, type Stack } from "../helpers/stack.js";
import { cameraJpeg, pngBomb, smallPng, SVG } from "./images.js";

let s: Stack;
before(async () => {
  s = await startStack({ dispatch: { autoStart: false } });
  await seedParticipants(s.db, [{ phone: mobile(2501), ...dam, channels: ["sms"] }]);
});
after(() => s.close());

async function draft(sms = "Gezocht: man, rode jas, richting Centraal.", key = s.keys.operator) {
  const res = await s.app.inject({
    method: "POST",
    url: "/v1/alerts",
    headers: bearer(key),
    payload: {
      kind: "suspect",
      presenceCheck: false,
      channels: ["sms"],
      dispatch: false,
      texts: { nl: { voice: "Gezocht: een man.", sms } },
      area: { type: "circle", center: dam, radiusMeters: 500 },
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id as string;
}

const put = (id: string, body: Buffer | string, contentType: string, key = s.keys.operator) =>
  s.app.inject({
    method: "PUT",
    url: `/v1/alerts/${id}/photo`,
    headers: { ...bearer(key), "content-type": contentType },
    payload: body,
  });

const stored = async (id: string) =>
  (await s.db.query("SELECT image, width, height FROM alert_photos WHERE alert_id = $1", [id])).rows[0];

describe("PUT /v1/alerts/{id}/photo", () => {
  test("a camera JPEG is resized for phones and loses its EXIF and GPS position", async () => {
    const id = await draft();
    const original = await cameraJpeg();
    assert.ok((await sharp(original).metadata()).exif, "the fixture carries EXIF");
    const res = await put(id, original, "image/jpeg");
    assert.equal(res.statusCode, 200, res.body);
    const { bytes, ...rest } = res.json<{ bytes: number }>();
    assert.deepEqual(rest, { alertId: id, contentType: "image/jpeg", width: 1280, height: 853 });
    const row = await stored(id);
    const meta = await sharp(row.image).metadata();
    assert.equal(meta.format, "jpeg");
    assert.equal(meta.exif, undefined, "no EXIF (GPS, artist) survives");
    assert.equal(meta.xmp, undefined);
    assert.equal(row.image.includes(Buffer.from("Agent Smit")), false);
    assert.equal(bytes, row.image.length);
  });

  test("a PNG with transparency is stored as a JPEG of its own size (never enlarged)", async () => {
    const id = await draft();
    const res = await put(id, await smallPng(40, 30), "image/png");
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().width, 40);
    assert.equal(res.json().height, 30);
  });

  test("not an image, an SVG, a decompression bomb, a truncated file: 4xx in the one shape, nothing stored", async () => {
    const id = await draft();
    const cases: [Buffer | string, string, number, string, string?][] = [
      ["hello", "image/jpeg", 422, "BN_IMAGE_REJECTED", "not_jpeg_or_png"],
      [SVG, "image/png", 422, "BN_IMAGE_REJECTED", "not_jpeg_or_png"],
      [SVG, "image/svg+xml", 415, "BN_UNSUPPORTED_MEDIA_TYPE"],
      [await pngBomb(100_000, 100_000), "image/png", 422, "BN_IMAGE_REJECTED", "too_many_pixels"],
      [(await cameraJpeg()).subarray(0, 200), "image/jpeg", 422, "BN_IMAGE_REJECTED", "undecodable"],
      [JSON.stringify({ photo: "x" }), "application/json", 415, "BN_UNSUPPORTED_MEDIA_TYPE"],
    ];
    for (const [body, type, status, code, reason] of cases) {
      const res = await put(id, body, type);
      assert.equal(res.statusCode, status, `${type}: ${res.body}`);
      assert.equal(res.json().error.code, code);
      if (reason) assert.equal(res.json().error.details.reason, reason);
    }
    assert.equal(await stored(id), undefined);
    assert.equal((await s.app.inject({ url: "/healthz" })).statusCode, 200, "the process is still up");
  });

  test("more than 5 MB: 413 before it is read", async () => {
    const id = await draft();
    const big = Buffer.concat([await cameraJpeg(), Buffer.alloc(5 * 1024 * 1024)]);
    const res = await put(id, big, "image/jpeg");
    assert.equal(res.statusCode, 413, res.body);
    assert.equal(res.json().error.code, "BN_BODY_TOO_LARGE");
    assert.equal(await stored(id), undefined);
  });

  test("another unit's alert: 404, as if it did not exist; a closed alert: 409", async () => {
    const id = await draft();
    const res = await put(id, await smallPng(), "image/png", s.keys.otherRegion);
    assert.equal(res.statusCode, 404, res.body);
    assert.equal(res.json().error.code, "BN_ALERT_NOT_FOUND");
    const cancelled = await s.app.inject({
      method: "POST",
      url: `/v1/alerts/${id}/cancel`,
      headers: bearer(s.keys.operator),
    });
    assert.equal(cancelled.statusCode, 200, cancelled.body);
    assert.equal((await put(id, await smallPng(), "image/png")).statusCode, 409);
    assert.equal(await stored(id), undefined);
  });

  test("an SMS text that fits 3 segments alone but not with the link is refused, with its count", async () => {
    const id = await draft("a".repeat(440)); // 451 septets with "Burgernet: "; the link adds ~45
    const res = await put(id, await smallPng(), "image/png");
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().error.code, "BN_VALIDATION");
    assert.equal(res.json().error.details.segments, 4);
    assert.equal(res.json().error.details.path, "texts/nl/sms");
  });

  test("changing the texts of an alert with a photo (CAP Update) keeps them within 3 segments with the link", async () => {
    const id = await draft();
    assert.equal((await put(id, await smallPng(), "image/png")).statusCode, 200);
    const principal = { keyId: "00000000-0000-4000-8000-000000000000", role: "admin" as const, region: null };
    await assert.rejects(
      s.app.alerts.update(id, principal, { texts: { nl: { voice: "Gezocht.", sms: "a".repeat(440) } } }),
      (err: { code?: string; details?: { segments?: number } }) =>
        err.code === "BN_VALIDATION" && err.details?.segments === 4,
    );
    const row = (await s.db.query("SELECT texts FROM alerts WHERE id = $1", [id])).rows[0];
    assert.equal(row.texts.nl.sms, "Gezocht: man, rode jas, richting Centraal.", "unchanged");
  });

  test("retention deletes the photo of an alert that expired without being closed", async () => {
    const id = await draft();
    assert.equal((await put(id, await smallPng(), "image/png")).statusCode, 200);
    await s.db.query("UPDATE alerts SET expires_at = now() - interval '1 minute' WHERE id = $1", [id]);
    assert.equal((await s.app.retention.run()).photos, 1);
    assert.equal(await stored(id), undefined);
  });
});
