import assert from "node:assert/strict";
import { connect } from "node:net";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import type { FastifyBaseLogger } from "fastify";
import { pino } from "pino";
import { requestLogLevel } from "../../src/http/request-log.js";
import { loggerOptions } from "../../src/log.js";
import { dam, mobile, seedParticipants } from "../helpers/participants.js";
import { eventually } from "../helpers/eventually.js";
import { bearer, twilioPost, type Stack } from "../helpers/stack.js";
import { BURGERNET, seedAlert, seedDelivery, startIvrStack } from "../ivr/helpers.js";
import { sid, voiceParams } from "../twilio/helpers.js";

/** What an operator ships and stores: every line the service writes at LOG_LEVEL=info, parsed. */
const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});
let s: Stack;
let alertId: string;
const N = 20;
/** N calls of one alert: each delivery with the SID the carrier answered with. */
const deliveries: number[] = [];
const phone = (i: number) => mobile(7000 + i);
const callSid = (i: number) => sid("CA", 7000 + i);

before(async () => {
  s = await startIvrStack({ logger: pino(loggerOptions("info"), sink) as unknown as FastifyBaseLogger });
  alertId = await seedAlert(s.db);
  for (let i = 0; i < N; i++) {
    const [participantId] = await seedParticipants(s.db, [{ phone: phone(i), lat: dam.lat, lon: dam.lon }]);
    const id = await seedDelivery(s.db, { alertId, participantId, phone: phone(i) });
    await s.db.query("UPDATE deliveries SET provider_sid = $2 WHERE id = $1", [id, callSid(i)]);
    deliveries.push(id);
  }
});
const deliveryId = () => deliveries[0];
after(() => s.close());

/** The lines written while `run` ran that belong to a request (Fastify binds reqId to each request's logger). */
async function requestLines(run: () => Promise<void>) {
  const from = lines.length;
  await run();
  return lines.slice(from).filter((l) => "reqId" in l);
}

describe("request logs an operator can afford", () => {
  test(`${N} alert-call TwiML requests and ${N} status callbacks write no line at info`, async () => {
    const written = await requestLines(async () => {
      for (let i = 0; i < N; i++) {
        const call = { callSid: callSid(i), from: BURGERNET, to: phone(i) };
        const twiml = await twilioPost(s, `/twilio/voice/alert?delivery=${deliveries[i]}`, voiceParams(s, call));
        assert.equal(twiml.statusCode, 200, twiml.body);
        const status = await twilioPost(s, `/twilio/voice/status?delivery=${deliveries[i]}&attempt=1`, {
          CallSid: callSid(i),
          CallStatus: "ringing",
        });
        assert.equal(status.statusCode, 204, status.body);
      }
    });
    const messages = [...new Set(written.map((l) => `${l.level} ${l.msg}`))];
    assert.equal(written.length, 0, `lines per hot request: ${written.length / (2 * N)}: ${messages.join(", ")}`);
  });

  test("a failed Twilio request writes one line, with what identifies the call and no number", async () => {
    const written = await requestLines(async () => {
      const res = await s.app.inject({
        method: "POST",
        url: `/twilio/voice/status?delivery=${deliveryId()}&attempt=1`,
        payload: new URLSearchParams({ CallSid: callSid(0), CallStatus: "completed", To: phone(0) }).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": "forged" },
      });
      assert.equal(res.statusCode, 403);
    });
    assert.equal(written.length, 1, JSON.stringify(written));
    const [line] = written;
    assert.equal(line.level, 40, "warn");
    assert.equal(line.route, "/twilio/voice/status");
    assert.equal(line.status, 403);
    assert.equal(line.code, "BN_TWILIO_SIGNATURE");
    assert.equal(line.deliveryId, deliveryId());
    assert.equal(line.callSid, callSid(0));
    assert.ok(!JSON.stringify(line).includes(phone(0).slice(3)), "no phone number");
  });

  test("a Twilio request the carrier hangs up on before it is answered still writes its one line", async () => {
    const from = lines.length;
    const url = new URL(s.url);
    // The body is announced and never sent: the request is still being read when the carrier gives up.
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((sent) =>
      socket.write(
        `POST /twilio/voice/status?delivery=${deliveryId()}&attempt=2 HTTP/1.1\r\nHost: ${url.host}\r\n` +
          "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nCallSid=CA",
        () => sent(),
      ),
    );
    // A request on another connection, answered after the service has read the first one's headers.
    assert.equal((await fetch(`${s.url}/healthz`)).status, 200);
    socket.destroy();
    const line = await eventually(async () => lines.slice(from).find((l) => l.aborted === true), {
      what: "the aborted request's line",
    });
    assert.equal(line.level, 40, "warn");
    assert.equal(line.route, "/twilio/voice/status");
    assert.equal(line.deliveryId, deliveryId());
    assert.equal(line.attempt, 2);
  });

  test("an API request writes one line: method, route, status, duration and the alert it is about", async () => {
    const written = await requestLines(async () => {
      const res = await s.app.inject({ method: "GET", url: `/v1/alerts/${alertId}`, headers: bearer(s.keys.operator) });
      assert.equal(res.statusCode, 200, res.body);
    });
    assert.equal(written.length, 1, JSON.stringify(written));
    const [line] = written;
    assert.equal(line.level, 30, "info");
    assert.equal(line.method, "GET");
    assert.equal(line.route, "/v1/alerts/:id");
    assert.equal(line.url, `/v1/alerts/${alertId}`);
    assert.equal(line.status, 200);
    assert.equal(typeof line.durationMs, "number");
    assert.equal(line.alertId, alertId);
  });

  test("a rejected API request is one line too, with its error code", async () => {
    const written = await requestLines(async () => {
      const res = await s.app.inject({ method: "GET", url: `/v1/alerts/${alertId}` });
      assert.equal(res.statusCode, 401);
    });
    assert.equal(written.length, 1, JSON.stringify(written));
    assert.equal(written[0].status, 401);
    assert.match(String(written[0].code), /^BN_/);
  });
});

describe("which requests an operator sees (LOG_SLOW_REQUEST_SECONDS)", () => {
  const level = (route: string, status: number, ms: number) =>
    requestLogLevel({ route, status, ms, slowMs: 1000, errored: false });
  test("a Twilio route: nothing at info when fast and answered, warn when slow or refused, error on a 5xx", () => {
    assert.equal(level("/twilio/voice/alert", 200, 999), "debug");
    assert.equal(level("/twilio/voice/status", 204, 3), "debug");
    assert.equal(level("/twilio/voice/alert", 200, 1000), "warn");
    assert.equal(level("/twilio/sms/status", 404, 3), "warn");
    assert.equal(level("/twilio/voice/menu", 500, 3), "error");
    assert.equal(
      requestLogLevel({ route: "/twilio/voice/menu", status: 200, ms: 3, slowMs: 1000, errored: true }),
      "error",
    );
  });
  test("health checks and scrapes are quiet too; the API writes every request at info", () => {
    assert.equal(level("/readyz", 200, 5), "debug");
    assert.equal(level("/metrics", 200, 5), "debug");
    assert.equal(level("/v1/alerts", 201, 5), "info");
    assert.equal(level("/v1/alerts", 400, 5), "info");
    assert.equal(level("/v1/alerts", 201, 1500), "warn");
  });
});
