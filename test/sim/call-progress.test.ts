import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator, Persona } from "../../src/sim/index.ts";
import type { TwilioClient } from "../../src/twilio/client.ts";
import { FROM, emulatorWithClient, startTwimlApp, voice, type Hit } from "./helpers.ts";

describe("call progress, answering machines and SMS delivery", () => {
  let emu: Emulator;
  let client: TwilioClient;
  let app: Awaited<ReturnType<typeof startTwimlApp>>;
  let hits: Hit[];

  before(async () => {
    ({ emu, client } = await emulatorWithClient());
    app = await startTwimlApp({
      "/voice": (p) =>
        voice((r) => r.say({ language: "nl-NL" }, p.AnsweredBy === "human" ? "Burgernet melding" : "Bel ons terug")),
      "/long": () => voice((r) => r.pause({ length: 20 })),
    });
    hits = app.hits;
  });
  after(async () => {
    await emu.close();
    await app.app.close();
  });

  const hitsFor = (sid: string, path: string) => hits.filter((h) => h.params.CallSid === sid && h.path === path);

  async function call(to: string, persona: Persona, extra: Record<string, unknown> = {}) {
    emu.setPersona(to, persona);
    const created = await client.calls.create({
      to,
      from: FROM,
      url: `${app.url}/voice`,
      statusCallback: `${app.url}/status`,
      statusCallbackEvent: ["initiated", "ringing", "answered", "completed"],
      ...extra,
    });
    return emu.callEnded(created.sid);
  }

  it("reports busy: no answer, final CallStatus busy, duration 0", async () => {
    const ended = await call("+31620000001", { answer: "busy" });
    assert.equal(ended.status, "busy");
    const statuses = hitsFor(ended.sid, "/status").map((h) => h.params.CallStatus);
    assert.deepEqual(statuses, ["initiated", "busy"]);
    assert.equal(hitsFor(ended.sid, "/status")[1].params.CallDuration, "0");
    assert.equal(hitsFor(ended.sid, "/voice").length, 0, "no TwiML is fetched for an unanswered call");
  });

  it("reports no-answer after ringing", async () => {
    const ended = await call("+31620000002", { answer: "no-answer" });
    assert.deepEqual(
      hitsFor(ended.sid, "/status").map((h) => h.params.CallStatus),
      ["initiated", "ringing", "no-answer"],
    );
  });

  it("gives up at the call's Timeout on a phone that rings longer", async () => {
    const ended = await call("+31620000003", { answer: "human", ringSeconds: 30 }, { timeout: 15 });
    assert.equal(ended.status, "no-answer");
  });

  it("reports failed", async () => {
    const ended = await call("+31620000004", { answer: "failed" });
    assert.equal(ended.status, "failed");
  });

  it("only sends the completed callback when no events are requested", async () => {
    emu.setPersona("+31620000005", { answer: "human" });
    const created = await client.calls.create({
      to: "+31620000005",
      from: FROM,
      url: `${app.url}/voice`,
      statusCallback: `${app.url}/status`,
    });
    await emu.callEnded(created.sid);
    assert.deepEqual(
      hitsFor(created.sid, "/status").map((h) => h.params.CallStatus),
      ["completed"],
    );
  });

  it("synchronous AMD: a voicemail is machine_end_beep in the TwiML request and the callbacks", async () => {
    const ended = await call("+31620000006", { answer: "voicemail" }, { machineDetection: "DetectMessageEnd" });
    assert.equal(ended.answeredBy, "machine_end_beep");
    assert.equal(hitsFor(ended.sid, "/voice")[0].params.AnsweredBy, "machine_end_beep");
    assert.equal(hitsFor(ended.sid, "/status").at(-1)?.params.AnsweredBy, "machine_end_beep");
    const say = ended.transcript.find((e) => e.kind === "say");
    assert.equal(say?.kind === "say" && say.text, "Bel ons terug");
  });

  it("synchronous AMD: a person is human", async () => {
    const ended = await call("+31620000007", { answer: "human" }, { machineDetection: "Enable" });
    assert.equal(hitsFor(ended.sid, "/voice")[0].params.AnsweredBy, "human");
  });

  it("asynchronous AMD: TwiML at once, AnsweredBy posted to AsyncAmdStatusCallback", async () => {
    const ended = await call(
      "+31620000008",
      { answer: "voicemail", greetingSeconds: 2 },
      {
        machineDetection: "DetectMessageEnd",
        asyncAmd: "true",
        asyncAmdStatusCallback: `${app.url}/amd`,
        url: `${app.url}/long`,
      },
    );
    assert.equal(hitsFor(ended.sid, "/long")[0].params.AnsweredBy, undefined, "the TwiML does not wait for AMD");
    await emu.waitFor(() => hitsFor(ended.sid, "/amd").length > 0);
    const amd = hitsFor(ended.sid, "/amd")[0];
    assert.equal(amd.params.AnsweredBy, "machine_end_beep");
    assert.ok(Number(amd.params.MachineDetectionDuration) > 0);
    assert.ok(amd.signatureValid);
  });

  it("cancels a ringing call", async () => {
    emu.setPersona("+31620000009", { answer: "human", ringSeconds: 600 });
    const created = await client.calls.create({
      to: "+31620000009",
      from: FROM,
      url: `${app.url}/voice`,
      timeout: 600,
      statusCallback: `${app.url}/status`,
    });
    await emu.waitFor(() => emu.getCall(created.sid)?.status === "ringing");
    const updated = await client.calls(created.sid).update({ status: "canceled" });
    assert.equal(updated.status, "canceled");
    const ended = await emu.callEnded(created.sid);
    assert.equal(ended.status, "canceled");
    assert.deepEqual(
      hitsFor(created.sid, "/status").map((h) => h.params.CallStatus),
      ["canceled"],
    );
  });

  it("SMS status callbacks: queued → sent → delivered", async () => {
    const msg = await client.messages.create({
      to: "+31620000010",
      from: FROM,
      body: "Burgernet",
      statusCallback: `${app.url}/sms-status`,
    });
    await emu.waitFor(() => hits.filter((h) => h.params.MessageSid === msg.sid).length === 3);
    const mine = hits.filter((h) => h.params.MessageSid === msg.sid);
    assert.deepEqual(
      mine.map((h) => h.params.MessageStatus),
      ["queued", "sent", "delivered"],
    );
    assert.ok(mine.every((h) => h.signatureValid));
  });

  it("SMS status callbacks: undelivered with ErrorCode from the persona", async () => {
    emu.setPersona("+31620000011", { answer: "human", sms: "undelivered", smsErrorCode: 30005 });
    const msg = await client.messages.create({
      to: "+31620000011",
      from: FROM,
      body: "Burgernet",
      statusCallback: `${app.url}/sms-status`,
    });
    await emu.waitFor(() => emu.getMessage(msg.sid)?.status === "undelivered");
    await emu.waitFor(() =>
      hits.some((h) => h.params.MessageSid === msg.sid && h.params.MessageStatus === "undelivered"),
    );
    const last = hits.filter((h) => h.params.MessageSid === msg.sid).at(-1);
    assert.equal(last?.params.ErrorCode, "30005");
    const fetched = await client.messages(msg.sid).fetch();
    assert.equal(fetched.errorCode, 30005);
  });
});
