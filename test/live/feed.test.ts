import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { EventEmitter } from "node:events";
import WebSocket from "ws";
import { createHub } from "../../src/live/hub.js";
import { EVENTS_CHANNEL } from "../../src/events/publish.js";
import { createTestDb, emit, keysFor, startApp, waitFor, type TestDb } from "../webhooks/harness.js";

let db: TestDb;
let a: FastifyInstance;
let b: FastifyInstance;
let keys: Awaited<ReturnType<typeof keysFor>>;

before(async () => {
  db = await createTestDb();
  // Two instances of the service on one database.
  a = await startApp({ db, webhooks: { enabled: false }, live: { heartbeatMs: 100 } });
  b = await startApp({ db, webhooks: { enabled: false }, live: { heartbeatMs: 60_000 } });
  keys = await keysFor(db);
});
after(async () => {
  await Promise.all([a.close(), b.close()]);
  await db.drop();
});

interface Msg {
  type: string;
  id?: string;
  seq?: number;
  data?: Record<string, unknown>;
}

/** Collects the messages a socket receives. */
function collect(ws: WebSocket) {
  const messages: Msg[] = [];
  ws.on("message", (m) => messages.push(JSON.parse(String(m))));
  return {
    messages,
    events: () => messages.filter((m) => m.type !== "heartbeat" && m.type !== "hello"),
  };
}

async function connect(app: FastifyInstance, key: string, path = "/v1/live") {
  let c: ReturnType<typeof collect> | undefined;
  // Listen from the start: the server's first message may come before the upgrade promise resolves.
  const ws = await app.injectWS(
    path,
    { headers: { authorization: `Bearer ${key}` } },
    { onInit: (w) => (c = collect(w)) },
  );
  return { ws, ...c! };
}

describe("live feed", () => {
  test("refuses a socket without a valid operator or admin key", async () => {
    await assert.rejects(a.injectWS("/v1/live"), /401/);
    await assert.rejects(a.injectWS("/v1/live", { headers: { authorization: "Bearer bn_ope_wrong" } }), /401/);
    await assert.rejects(a.injectWS("/v1/live", { headers: { authorization: `Bearer ${keys.registration}` } }), /403/);
    await assert.rejects(
      a.injectWS("/v1/live?region=RE07", { headers: { authorization: `Bearer ${keys.operator}` } }),
      /403/,
    );
  });

  test("an operator sees only their region; an admin sees every region", async () => {
    const op = await connect(a, keys.operator);
    const admin = await connect(a, keys.admin);
    const mine = await emit(db, { type: "sighting.created", data: { source: "sms" } });
    const theirs = await emit(db, { type: "sighting.created", region: "RE07", data: {} });
    await waitFor("admin gets both", () => admin.events().length === 2);
    await waitFor("operator gets one", () => op.events().length === 1);
    assert.deepEqual(
      admin.events().map((m) => m.id),
      [`evt_${mine}`, `evt_${theirs}`],
    );
    const [e] = op.events();
    assert.equal(e.id, `evt_${mine}`);
    assert.equal(e.type, "sighting.created");
    assert.deepEqual(e.data, { region: "RE05", source: "sms" });
    assert.equal(op.messages[0].type, "hello");
    op.ws.terminate();
    admin.ws.terminate();
  });

  test("events written through any instance reach clients on every instance", async () => {
    const onA = await connect(a, keys.operator);
    const onB = await connect(b, keys.operator);
    const id = await emit(db, { type: "alert.closed", data: { outcome: "found" } });
    await waitFor("both instances deliver", () => onA.events().length === 1 && onB.events().length === 1);
    assert.equal(onB.events()[0].id, `evt_${id}`);
    onA.ws.terminate();
    onB.ws.terminate();
  });

  test("sends a heartbeat", async () => {
    const c = await connect(a, keys.operator);
    await waitFor("heartbeat", () => c.messages.find((m) => m.type === "heartbeat"));
    c.ws.terminate();
  });

  test("a browser authenticates with subprotocols; the key is never echoed back", async () => {
    await a.listen({ port: 0, host: "127.0.0.1" });
    const { port } = a.server.address() as AddressInfo;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/v1/live`, ["burgernet.v1", `bearer.${keys.operator}`]);
    const c = collect(ws);
    await new Promise((ok, fail) => ws.once("open", ok).once("error", fail));
    assert.equal(ws.protocol, "burgernet.v1");
    const id = await emit(db, { type: "alert.cancelled", data: {} });
    await waitFor("event", () => c.events().find((m) => m.id === `evt_${id}`));
    ws.terminate();
  });

  test("a client that reconnects with ?since= gets what it missed, in its region only", async () => {
    const first = await emit(db, { type: "participant.unsubscribed", data: { count: 1 } });
    const seq = (await db.query("SELECT seq FROM events WHERE id = $1", [first])).rows[0].seq as number;
    const missed = await emit(db, { type: "participant.unsubscribed", data: { count: 2 } });
    await emit(db, { type: "participant.unsubscribed", region: "RE07", data: { count: 3 } });
    const c = await connect(b, keys.operator, `/v1/live?since=${seq}`);
    await waitFor("replay", () => c.events().length >= 1);
    assert.deepEqual(
      c.events().map((m) => m.id),
      [`evt_${missed}`],
    );
    c.ws.terminate();
  });

  test("a since past the seq range is a 400, and the instance keeps serving", async () => {
    for (const since of ["9223372036854775808", "9007199254740992", "1e30", "-1", "1.5"]) {
      await assert.rejects(connect(b, keys.operator, `/v1/live?since=${since}`), /400/, since);
    }
    const ready = await b.inject({ method: "GET", url: "/readyz" });
    assert.equal(ready.statusCode, 200);
  });

  test("a catch-up read that fails closes that socket with 1011 and rejects nothing", async () => {
    const failing = { query: () => Promise.reject(new Error("connection terminated")) };
    const hub = createHub({ db: failing as never, log: b.log, events: new EventEmitter() as never });
    let code = 0;
    const socket = Object.assign(new EventEmitter(), {
      OPEN: 1,
      readyState: 1,
      bufferedAmount: 0,
      send: () => {},
      close: (c: number) => (code = c),
    });
    await hub.add(socket as never, "RE05", 1, "key-x"); // resolves: a rejection here would stop the process
    assert.equal(code, 1011);
    assert.equal(hub.size(), 0);
    await hub.close();
  });

  test("events published while the LISTEN connection was down arrive after it reconnects", async () => {
    const c = await connect(b, keys.operator);
    const before = await emit(db, { type: "sighting.created", data: { n: 1 } });
    await waitFor("first event", () => c.events().length === 1);
    // Another schema on the same server (another deployment, or another test file) notifies on the same channel,
    // with a seq of its own table far ahead of ours: the catch-up must not skip our events because of it.
    const heard = new Promise<void>((ok) => b.pgEvents.on("event", (n) => n.id === "evt_x" && ok()));
    const foreign = JSON.stringify({ id: "evt_x", seq: 1e9, region: "RE05" });
    await db.query("SELECT pg_notify($1, $2)", [EVENTS_CHANNEL, foreign]);
    await heard;
    b.pgListener.kill();
    const during = await emit(db, { type: "sighting.created", data: { n: 2 } });
    await waitFor("the event sent while down", () => c.events().find((m) => m.id === `evt_${during}`), 15_000);
    assert.equal(c.events()[0].id, `evt_${before}`);
    const after = await emit(db, { type: "sighting.created", data: { n: 3 } });
    await waitFor("and live again", () => c.events().find((m) => m.id === `evt_${after}`));
    c.ws.terminate();
  });
});

describe("slow consumers", () => {
  let slow: FastifyInstance;
  before(async () => {
    slow = await startApp({ db, webhooks: { enabled: false }, live: { maxBufferedBytes: 256 * 1024 } });
    await slow.listen({ port: 0, host: "127.0.0.1" });
  });
  after(() => slow.close());

  test("a client that stops reading is disconnected once its buffer passes the limit; others carry on", async () => {
    const { port } = slow.server.address() as AddressInfo;
    const open = (ws: WebSocket) => new Promise((ok, fail) => ws.once("open", ok).once("error", fail));
    const stuck = new WebSocket(`ws://127.0.0.1:${port}/v1/live`, {
      headers: { authorization: `Bearer ${keys.operator}` },
    });
    const healthy = new WebSocket(`ws://127.0.0.1:${port}/v1/live`, {
      headers: { authorization: `Bearer ${keys.operator}` },
    });
    const h = collect(healthy);
    await Promise.all([open(stuck), open(healthy)]);
    await waitFor("both registered", () => slow.liveHub.size() === 2);
    (stuck as unknown as { _socket: { pause(): void } })._socket.pause();
    const closed = new Promise((ok) => stuck.once("close", ok));

    const blob = "x".repeat(64 * 1024);
    let sent = 0;
    // Enough to fill the kernel's socket buffers and then our limit; stops as soon as the cut happens.
    for (let batch = 0; batch < 40 && slow.liveHub.size() === 2; batch++) {
      await db.withTransaction(async (tx) => {
        const { publishEvent } = await import("../../src/events/publish.js");
        for (let i = 0; i < 20; i++)
          await publishEvent(tx, { type: "sighting.created", region: "RE05", data: { blob } });
      });
      sent += 20;
      await waitFor("healthy client keeps up", () => h.events().length === sent, 15_000);
    }
    await waitFor("slow client cut off", () => slow.liveHub.size() === 1, 15_000);
    (stuck as unknown as { _socket: { resume(): void } })._socket.resume();
    await closed;
    assert.ok(sent < 800, `cut off after ${sent} events of 64 KiB`);
    const id = await emit(db, { type: "alert.closed", data: {} });
    await waitFor("healthy client still served", () => h.events().find((m) => m.id === `evt_${id}`));
    console.log(`slow consumer cut off after ${sent} events (${(sent * 64) / 1024} MiB)`);
    healthy.terminate();
  });
});
