import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import twilio from "twilio";
import type { Emulator } from "../../src/sim/index.ts";
import { emulatorWithClient, startTwimlApp, voice, type Hit } from "./helpers.ts";

const BURGERNET = "+3188000112";

describe("citizens who call and text the Burgernet number", () => {
  let emu: Emulator;
  let app: Awaited<ReturnType<typeof startTwimlApp>>;
  let hits: Hit[];

  before(async () => {
    ({ emu } = await emulatorWithClient());
    app = await startTwimlApp({
      "/sms": (p) => {
        const r = new twilio.twiml.MessagingResponse();
        if (p.Body.trim().toUpperCase() === "STOP") r.message("U bent afgemeld bij Burgernet.");
        return r.toString();
      },
      "/inbound": () =>
        voice((r) => {
          r.say({ language: "nl-NL" }, "Welkom bij Burgernet.");
          r.gather({ numDigits: 1, action: "/inbound-choice" }).say({ language: "nl-NL" }, "Kies een melding.");
        }),
      "/inbound-choice": (p) => voice((r) => r.say({ language: "nl-NL" }, `U koos ${p.Digits}.`)),
      "/reject": () => voice((r) => r.reject({ reason: "busy" })),
    });
    hits = app.hits;
    emu.setWebhooks({
      smsUrl: `${app.url}/sms`,
      voiceUrl: `${app.url}/inbound`,
      voiceStatusCallback: `${app.url}/in-status`,
    });
  });
  after(async () => {
    await emu.close();
    await app.app.close();
  });

  it("posts an inbound SMS with Twilio's parameters and sends the TwiML reply back", async () => {
    const result = await emu.sendSms({ from: "+31630000001", to: BURGERNET, body: "stop" });
    assert.equal(result.status, 200);
    const hit = hits.find((h) => h.path === "/sms" && h.params.From === "+31630000001");
    assert.ok(hit?.signatureValid);
    assert.equal(hit?.params.Body, "stop");
    assert.equal(hit?.params.To, BURGERNET);
    assert.match(hit?.params.MessageSid ?? "", /^SM[0-9a-f]{32}$/);
    assert.equal(hit?.params.AccountSid, emu.accountSid);
    assert.equal(hit?.params.NumMedia, "0");
    assert.equal(result.replies.length, 1);
    const replies = emu.messagesTo("+31630000001");
    assert.deepEqual(
      replies.map((m) => [m.from, m.body, m.direction]),
      [[BURGERNET, "U bent afgemeld bij Burgernet.", "outbound-reply"]],
    );
  });

  it("records no reply for an empty response", async () => {
    const result = await emu.sendSms({ from: "+31630000002", to: BURGERNET, body: "hallo" });
    assert.deepEqual(result.replies, []);
    assert.equal(emu.messagesTo("+31630000002").length, 0);
  });

  it("places an inbound call that is answered by the TwiML and driven by the caller's persona", async () => {
    const inbound = emu.placeInboundCall({
      from: "+31630000003",
      to: BURGERNET,
      persona: { answer: "human", script: [{ digits: "4" }] },
    });
    const call = await inbound.ended;
    assert.equal(call.direction, "inbound");
    assert.equal(call.status, "completed");
    const first = hits.find((h) => h.path === "/inbound" && h.params.CallSid === inbound.sid);
    assert.equal(first?.params.CallStatus, "ringing");
    assert.equal(first?.params.Direction, "inbound");
    assert.equal(first?.params.Caller, "+31630000003");
    assert.ok(first?.signatureValid);
    const said = call.transcript.filter((e) => e.kind === "say").map((e) => e.kind === "say" && e.text);
    assert.deepEqual(said, ["Welkom bij Burgernet.", "Kies een melding.", "U koos 4."]);
    const status = hits.filter((h) => h.path === "/in-status" && h.params.CallSid === inbound.sid);
    assert.deepEqual(
      status.map((h) => h.params.CallStatus),
      ["completed"],
    );
  });

  it("rejects an inbound call with <Reject reason=busy>", async () => {
    emu.setWebhooks({ voiceUrl: `${app.url}/reject` });
    try {
      const call = await emu.placeInboundCall({ from: "+31630000004", to: BURGERNET }).ended;
      assert.equal(call.status, "busy");
      assert.equal(call.answeredAt, undefined);
    } finally {
      emu.setWebhooks({ voiceUrl: `${app.url}/inbound` });
    }
  });
});
