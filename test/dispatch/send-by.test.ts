// A request held up between its slot and the wire (a GC, a burst of other work) is not sent late: it is refused
// where it would get its socket, keeps its place at the head of the line and leaves at the next slot.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import { dam, mobile, offset, seedParticipants } from "../helpers/participants.js";
import { bearer, startStack, type Stack } from "../helpers/stack.js";

const N = 12;
let s: Stack;
/** Call requests that reached the HTTP client, and the one held up on its way. */
let begun = 0;
let heldUp: string | undefined;

before(async () => {
  s = await startStack({
    env: { DISPATCH_CPS: "10" },
    twilioClient: (client) => {
      const { axios } = client.httpClient as unknown as {
        axios: {
          interceptors: {
            request: { use: (f: (c: { method?: string; url?: string; data?: string }) => unknown) => void };
          };
        };
      };
      axios.interceptors.request.use((config) => {
        if (config.method === "post" && config.url?.endsWith("/Calls.json") && ++begun === 3) {
          heldUp = new URLSearchParams(config.data).get("To") ?? undefined;
          const until = performance.now() + 40; // three times the slot's tolerance, on the way to the socket
          while (performance.now() < until);
        }
        return config;
      });
    },
  });
  await seedParticipants(
    s.db,
    Array.from({ length: N }, (_, i) => ({
      phone: mobile(41_000 + i),
      channels: ["voice"],
      ...offset(dam, i * 50, 0),
    })),
  );
});
after(() => s.close());

test("a call held up between its slot and the wire is not sent late: it leaves at the next slot, once", async () => {
  const res = await s.app.inject({
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
  assert.equal(res.statusCode, 201, res.body);
  await s.emulator.waitFor(() => s.emulator.calls().length >= N, { timeoutMs: 20_000 });

  assert.ok(heldUp, "the third request was held up");
  assert.equal(s.emulator.callsTo(heldUp).length, 1, "the held-up citizen is called, once");
  // Called nearest first, as everyone: refused, it kept its place and took the next slot, nobody behind it first.
  const order = s.emulator.calls().map((c) => c.to);
  const nearestFirst = Array.from({ length: N }, (_, i) => mobile(41_000 + i));
  assert.equal(order.indexOf(heldUp), nearestFirst.indexOf(heldUp), "called in its place");
  for (let i = 0; i < N; i++) assert.equal(s.emulator.callsTo(mobile(41_000 + i)).length, 1, `${mobile(41_000 + i)}`);
  // The held-up request never reached the carrier; its slot, and any other refused so, is counted lost as `send`.
  const refused = await lostTo("send");
  assert.ok(refused >= 1, "its slot is counted lost, as `send`");
  assert.equal(begun, s.emulator.calls().length + refused, "every request begun was either made or refused");
});

async function lostTo(reason: string) {
  const body = (await s.app.inject({ url: "/metrics", headers: bearer(s.keys.admin) })).body;
  const m = new RegExp(`burgernet_dispatch_slots_lost_total\\{channel="voice",reason="${reason}"\\} (\\d+)`).exec(body);
  return m ? Number(m[1]) : 0;
}
