// A call or message begun for a slot leaves on a connection that is already open: one set up on its way is written
// only once connected, which on a busy event loop can be tens of milliseconds after its slot and crowd the carrier's
// second. When the carrier cannot be reached, the request must still fail as it would, for the breaker to see.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import http, { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { startEmulator, type Emulator } from "../../src/sim/index.js";
import { createTwilioCarrier, type CarrierOperation } from "../../src/twilio/carrier.js";
import { createTwilioClient } from "../../src/twilio/client.js";
import { gateAgent } from "../../src/twilio/gate-agent.js";
import { beginBy, SendTooLateError, sendByHeaders } from "../../src/twilio/send-by.js";

const FROM = "+3197010200300";
let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({ cps: 0, timeScale: 0.001 });
});
after(() => emulator.close());

interface Seen {
  method: string;
  url: string;
  connection: number;
}

/** A carrier that answers a call at once, and GET / as `warmUp` says; it records each request's connection. */
async function rawCarrier(warmUp: (res: ServerResponse) => void = (res) => res.end("ok")) {
  const seen: Seen[] = [];
  let connections = 0;
  const ids = new WeakMap<Socket, number>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push({ method: req.method!, url: req.url!, connection: ids.get(req.socket)! });
    if (req.method === "GET") return warmUp(res);
    req.resume().on("end", () => {
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ sid: `CA${String(seen.length).padStart(32, "0")}`, status: "queued" }));
    });
  });
  server.on("connection", (socket: Socket) => ids.set(socket, ++connections));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { seen, url, connections: () => connections, close: () => server.close() };
}

function carrierAt(url: string, results: { op: CarrierOperation; err: unknown }[] = []) {
  const client = createTwilioClient({ accountSid: emulator.accountSid, authToken: emulator.authToken, apiUrl: url });
  return createTwilioCarrier({ client, from: FROM, onResult: (op, err) => results.push({ op, err }) });
}

test("a call begun with no connection open leaves on one opened for it, and the next call on the same", async () => {
  const carrier = await rawCarrier();
  try {
    const calls = carrierAt(carrier.url);
    await calls.placeCall({ to: "+31612340101", twiml: "<Response/>", sendBy: performance.now() + 5_000 });
    await calls.placeCall({ to: "+31612340102", twiml: "<Response/>", sendBy: performance.now() + 5_000 });
    assert.deepEqual(
      carrier.seen.map((s) => `${s.method} ${s.url.replace(/Accounts\/\w+/, "Accounts/AC")} #${s.connection}`),
      ["GET / #1", "POST /2010-04-01/Accounts/AC/Calls.json #1", "POST /2010-04-01/Accounts/AC/Calls.json #1"],
      "the calls were written on a connection already open, never on one set up on their way",
    );
  } finally {
    carrier.close();
  }
});

test("a call whose connection is not open by its last moment is not sent at all", async () => {
  // The carrier takes 300 ms to answer a new connection's first request: a call with 30 ms left cannot wait for it.
  const carrier = await rawCarrier((res) => void setTimeout(() => res.end("ok"), 300));
  const results: { op: CarrierOperation; err: unknown }[] = [];
  try {
    const calls = carrierAt(carrier.url, results);
    const err = await calls
      .placeCall({ to: "+31612340103", twiml: "<Response/>", sendBy: performance.now() + 30 })
      .then(
        () => null,
        (e: unknown) => e,
      );
    assert.ok(err instanceof SendTooLateError, `refused, not sent late (got ${String(err)})`);
    assert.deepEqual(results, [], "nothing counted against the carrier");
    // Once the connection is open, a call with time left leaves on it.
    await calls.placeCall({ to: "+31612340104", twiml: "<Response/>", sendBy: performance.now() + 5_000 });
    assert.deepEqual(
      carrier.seen.map((s) => `${s.method} #${s.connection}`),
      ["GET #1", "POST #1"],
      "only the call with time left reached the carrier",
    );
  } finally {
    carrier.close();
  }
});

test("a carrier that cannot be reached fails the call as it would, for the breaker to count", async () => {
  const closed = createServer();
  closed.listen(0, "127.0.0.1");
  await once(closed, "listening");
  const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  closed.close();
  const results: { op: CarrierOperation; err: unknown }[] = [];
  const calls = carrierAt(url, results);
  const err = await calls
    .placeCall({ to: "+31612340105", twiml: "<Response/>", sendBy: performance.now() + 5_000 })
    .then(
      () => null,
      (e: unknown) => e,
    );
  assert.ok(err && !(err instanceof SendTooLateError), `failed as unreachable (got ${String(err)})`);
  assert.equal(results.length, 1, "counted against the carrier");
  assert.match(String((results[0].err as { code?: unknown }).code), /ECONNREFUSED/);
});

test("when opening connections hangs, calls stop waiting for it and go their own way", async () => {
  const carrier = await rawCarrier(() => undefined); // GET / never answered
  const agent = gateAgent(new http.Agent({ keepAlive: true }), { warmWaitMs: 1 });
  const post = (sendBy: number) =>
    new Promise<number>((resolve, reject) => {
      const req = beginBy(sendBy, () =>
        http.request(`${carrier.url}/call`, { method: "POST", agent, headers: sendByHeaders({}) }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        }),
      );
      req.on("error", reject).end();
    });
  try {
    await assert.rejects(post(performance.now() + 20), SendTooLateError, "waited for the warm-up, in vain");
    // The warm-up is now unanswered for longer than warmWaitMs (1 ms): the next call does not wait for it.
    assert.equal(await post(performance.now() + 5_000), 201, "sent on a connection of its own");
    assert.deepEqual(
      carrier.seen.map((s) => `${s.method} ${s.url}`),
      ["GET /", "POST /call"],
    );
  } finally {
    agent.destroy();
    carrier.close();
  }
});
