// A call or message begun for a slot is sent only if it is handed its socket by the slot's last moment: what the
// twilio SDK and axios do on the way (1-14 ms) must not carry it into the next second at the carrier.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { startEmulator, type Emulator } from "../../src/sim/index.js";
import { createTwilioCarrier, type CarrierOperation } from "../../src/twilio/carrier.js";
import { createTwilioClient, type TwilioClient } from "../../src/twilio/client.js";
import { SendTooLateError } from "../../src/twilio/send-by.js";

const FROM = "+3197010200300";
let emulator: Emulator;
let client: TwilioClient;
const results: { op: CarrierOperation; err: unknown }[] = [];

before(async () => {
  emulator = await startEmulator({ cps: 0, timeScale: 0.001 });
  client = createTwilioClient({ accountSid: emulator.accountSid, authToken: emulator.authToken, apiUrl: emulator.url });
});
after(() => emulator.close());

const carrierOf = (c: TwilioClient) =>
  createTwilioCarrier({ client: c, from: FROM, onResult: (op, err) => results.push({ op, err }) });

/** Busies this process for `ms` where the SDK has done its part and the HTTP client is on its way to the socket. */
function slowWay(c: TwilioClient, ms: number) {
  const axios = (c.httpClient as unknown as { axios: { interceptors: { request: { use: (f: unknown) => number } } } })
    .axios;
  axios.interceptors.request.use((config: unknown) => {
    const until = performance.now() + ms;
    while (performance.now() < until);
    return config;
  });
}

test("a call or message whose last moment has passed is not sent, and is not counted against the carrier", async () => {
  const carrier = carrierOf(client);
  results.length = 0;
  const callsBefore = emulator.calls().length;
  const messagesBefore = emulator.messages().length;
  await assert.rejects(
    carrier.placeCall({ to: "+31612340001", twiml: "<Response/>", sendBy: performance.now() - 1 }),
    SendTooLateError,
  );
  await assert.rejects(
    carrier.sendSms({ to: "+31612340002", body: "Burgernet: test", sendBy: performance.now() - 1 }),
    SendTooLateError,
  );
  assert.equal(emulator.calls().length, callsBefore, "no call created");
  assert.equal(emulator.messages().length, messagesBefore, "no message created");
  assert.deepEqual(results, [], "nothing counted as a carrier outcome");

  // In time, both leave as ever.
  const sid = await carrier.placeCall({ to: "+31612340003", twiml: "<Response/>", sendBy: performance.now() + 5_000 });
  assert.match(sid, /^CA/);
  assert.match(
    await carrier.sendSms({ to: "+31612340004", body: "Burgernet: test", sendBy: performance.now() + 5_000 }),
    /^SM/,
  );
});

test("the last moment is checked after the SDK's and the HTTP client's work, where the request gets its socket", async () => {
  const slow = createTwilioClient({
    accountSid: emulator.accountSid,
    authToken: emulator.authToken,
    apiUrl: emulator.url,
  });
  slowWay(slow, 30);
  const carrier = carrierOf(slow);
  const before = emulator.calls().length;
  // Begun 20 ms before its last moment, 30 ms of work on the way: it would have reached the carrier 10 ms late.
  const err = await carrier
    .placeCall({ to: "+31612340005", twiml: "<Response/>", sendBy: performance.now() + 20 })
    .then(
      () => null,
      (e: unknown) => e,
    );
  assert.ok(err instanceof SendTooLateError, `refused, not sent late (got ${String(err)})`);
  assert.ok(err.lateMs > 0 && err.lateMs < 1_000, `late by ${err.lateMs} ms`);
  assert.equal(emulator.calls().length, before, "no call created");
  // Without a last moment (reads, cancels, a request of no slot) the same client still sends.
  const sid = await carrier.placeCall({ to: "+31612340006", twiml: "<Response/>" });
  assert.match(sid, /^CA/);
});

test("the carrier never sees the last moment: the header that carries it to the agent is taken off", async () => {
  const seen: IncomingHttpHeaders[] = [];
  const server: Server = createServer((req, res) => {
    if (req.method === "POST") seen.push(req.headers);
    req.resume().on("end", () => {
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ sid: "CA00000000000000000000000000000001", status: "queued" }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const raw = createTwilioClient({
      accountSid: emulator.accountSid,
      authToken: emulator.authToken,
      apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    });
    await carrierOf(raw).placeCall({ to: "+31612340007", twiml: "<Response/>", sendBy: performance.now() + 5_000 });
    assert.equal(seen.length, 1);
    assert.ok(seen[0].authorization?.startsWith("Basic "), "still signed in");
    assert.deepEqual(
      Object.keys(seen[0]).filter((h) => h.startsWith("x-burgernet")),
      [],
      "no header of ours reached the carrier",
    );
  } finally {
    server.close();
  }
});
