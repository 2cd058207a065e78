import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { bearer, startStack, type Stack } from "../helpers/stack.js";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";

let s: Stack;
before(async () => {
  // The carrier starts 5 calls a second while we submit 40: calls pile up in its queue, as at Twilio.
  s = await startStack({ env: { DISPATCH_CPS: "40" }, emulator: { cps: 5, timeScale: 0.01 } });
  await seedParticipants(
    s.db,
    Array.from({ length: 200 }, (_, i) => ({
      phone: mobile(30_000 + i),
      ...offset(dam, (i % 20) * 40, Math.floor(i / 20) * 40),
    })),
  );
});
after(() => s.close());

test("after cancel returns nothing more is submitted, and calls queued at the carrier are cancelled", async () => {
  const created = await s.app.inject({
    method: "POST",
    url: "/v1/alerts",
    headers: bearer(s.keys.operator),
    payload: {
      kind: "vehicle",
      channels: ["voice"],
      area: { type: "circle", center: dam, radiusMeters: 2000 },
      texts: { nl: { voice: "Let op een blauwe bestelbus.", sms: "Blauwe bestelbus." } },
    },
  });
  assert.equal(created.statusCode, 201);
  const id = created.json().id;
  await s.emulator.waitFor(() => s.emulator.calls().length >= 30, { timeoutMs: 20_000 });

  const res = await s.app.inject({ method: "POST", url: `/v1/alerts/${id}/cancel`, headers: bearer(s.keys.operator) });
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().status, "cancelled");
  const submittedAtCancel = s.emulator.calls().length;

  // Nothing is left in a state from which a request could still leave...
  const waiting = (
    await s.db.query("SELECT count(*) AS n FROM deliveries WHERE alert_id = $1 AND status IN ('pending','sending')", [
      id,
    ])
  ).rows[0].n;
  assert.equal(waiting, 0);
  // ...every call the carrier has is one we know of...
  const known = (
    await s.db.query("SELECT count(*) AS n FROM deliveries WHERE alert_id = $1 AND provider_sid IS NOT NULL", [id])
  ).rows[0].n;
  assert.equal(known, submittedAtCancel);
  assert.ok(submittedAtCancel < 200, "the cancel stopped the alert part-way");
  const ended = (
    await s.db.query(
      "SELECT end_reason, count(*) AS n FROM deliveries WHERE alert_id = $1 AND provider_sid IS NULL GROUP BY 1",
      [id],
    )
  ).rows;
  assert.deepEqual(ended, [{ end_reason: "alert_cancelled", n: 200 - submittedAtCancel }], "never sent, and why");
  // ...and the ones still waiting in the carrier's queue were cancelled there.
  const cancelledAtCarrier = s.emulator.calls().filter((c) => c.status === "canceled").length;
  assert.ok(cancelledAtCarrier > 0, "queued calls cancelled through the API");

  // A later dispatcher pass finds nothing to do.
  s.app.dispatcher.wake();
  const again = await s.app.inject({
    method: "POST",
    url: `/v1/alerts/${id}/cancel`,
    headers: bearer(s.keys.operator),
  });
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().error.code, "BN_CONFLICT");
  assert.equal(s.emulator.calls().length, submittedAtCancel);
  const audit = (await s.db.query("SELECT action FROM audit_log WHERE subject_id = $1 ORDER BY id", [id])).rows.map(
    (r) => r.action,
  );
  assert.deepEqual(
    audit.filter((a) => a !== "alert.read"),
    ["alert.dispatched", "alert.cancelled"],
  );
});

test("/metrics shows the pace, the deliveries by status and request latency by route", async () => {
  assert.equal((await s.app.inject("/metrics")).statusCode, 401, "private: a key is needed");
  // A call's first status callback can move it past `sending` (so the cancel returns) before the carrier's HTTP
  // answer has reached the dispatcher, which counts it then.
  await s.app.dispatcher.queue.onIdle();
  const res = await s.app.inject({ url: "/metrics", headers: bearer(s.keys.admin) });
  assert.equal(res.statusCode, 200);
  assert.match(res.headers["content-type"] as string, /text\/plain/);
  const body = res.body;
  const metric = (re: RegExp) => Number(re.exec(body)?.[1]);
  // The pace counter counts exactly the requests the carrier accepted, and the status gauge is the database's.
  const submitted = metric(/burgernet_dispatch_submitted_total\{channel="voice"\} (\d+)/);
  assert.equal(submitted, s.emulator.calls().length, "every call the carrier got was counted, once");
  const canceledNow = async () =>
    Number(
      (await s.db.query("SELECT count(*) AS n FROM deliveries WHERE channel = 'voice' AND status = 'canceled'")).rows[0]
        .n,
    );
  const before = await canceledNow();
  assert.ok(before > 0);
  // Figures read from the database are the same on every instance: served apart, to be scraped once.
  assert.doesNotMatch(body, /burgernet_deliveries/);
  const database = (await s.app.inject({ url: "/metrics/database", headers: bearer(s.keys.admin) })).body;
  // Calls cancelled at the carrier are reported canceled by their status callbacks, which may still arrive: the
  // gauge lies between the database's counts just before and just after it was read.
  const gauge = Number(/burgernet_deliveries\{channel="voice",status="canceled"\} (\d+)/.exec(database)?.[1]);
  const after = await canceledNow();
  assert.ok(gauge >= before && gauge <= after, `gauge ${gauge}, database ${before}..${after}`);
  // Node's own metrics without a project prefix, and which build is running.
  assert.match(body, /^process_cpu_seconds_total /m);
  assert.match(body, /^# TYPE burgernet_dispatch_slots_lost_total counter$/m);
  assert.match(body, /^burgernet_build_info\{version="\d+\.\d+\.\d+",commit="[^"]+",node="v\d+/m);
  assert.match(
    body,
    /burgernet_http_request_duration_seconds_count\{method="POST",route="\/v1\/alerts\/:id\/cancel",status="200"\} 1/,
  );
  // Nothing of the cancelled alert waits for a slot in this instance any more.
  assert.equal(metric(/^burgernet_dispatch_queue_depth (\d+)$/m), 0);
});
