import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator, TranscriptEntry } from "../../src/sim/index.ts";
import type { TwilioClient } from "../../src/twilio/client.ts";
import { FROM, emulatorWithClient, startTwimlApp, voice, type Hit } from "./helpers.ts";

const MELDKAMER = "+31880001112";

function kinds(transcript: readonly TranscriptEntry[]): string[] {
  return transcript.map((e) =>
    e.kind === "say" ? `say:${e.text}` : e.kind === "pressed" ? `pressed:${e.digits}` : e.kind,
  );
}

describe("a call driven through TwiML as Twilio drives it", () => {
  let emu: Emulator;
  let client: TwilioClient;
  let app: Awaited<ReturnType<typeof startTwimlApp>>;
  let hits: Hit[];

  before(async () => {
    ({ emu, client } = await emulatorWithClient({ personas: { [MELDKAMER]: { answer: "human", talkSeconds: 30 } } }));
    app = await startTwimlApp({
      "/voice": () =>
        voice((r) => {
          r.say({ language: "nl-NL", voice: "Polly.Lotte" }, "Burgernet melding. Gezocht wordt een man.");
          const g = r.gather({
            input: ["dtmf", "speech"],
            numDigits: 1,
            action: "/menu",
            timeout: 5,
            language: "nl-NL",
          });
          g.say({ language: "nl-NL" }, "Druk 1 voor de meldkamer, 2 voor een tip, 3 om in te spreken.");
          r.say({ language: "nl-NL" }, "Geen keuze ontvangen.");
        }),
      "/menu": (p) =>
        voice((r) => {
          if (p.Digits === "1") r.dial({ action: "/dialed", callerId: FROM, timeout: 20 }).number(MELDKAMER);
          else if (p.Digits === "2") {
            r.gather({ input: ["speech"], action: "/tip", language: "nl-NL" }).say(
              { language: "nl-NL" },
              "Spreek uw tip in.",
            );
          } else if (p.Digits === "3") r.record({ action: "/recorded", maxLength: 60, timeout: 3 });
          else r.redirect("/voice");
        }),
      "/tip": () => voice((r) => r.say({ language: "nl-NL" }, "Bedankt voor uw tip.")),
      "/dialed": () => voice((r) => r.hangup()),
      "/recorded": () => voice((r) => r.say({ language: "nl-NL" }, "Dank u wel.")),
      "/broken": () => "<Response><Say>Hallo",
      "/unknown-verb": () => "<Response><Say>Hallo</Say><Dance/></Response>",
      "/error": () => ({ status: 500 }),
    });
    hits = app.hits;
  });
  after(async () => {
    await emu.close();
    await app.app.close();
  });

  async function callWith(persona: Parameters<Emulator["setPersona"]>[1], to: string, url = `${app.url}/voice`) {
    emu.setPersona(to, persona);
    const created = await client.calls.create({
      to,
      from: FROM,
      url,
      statusCallback: `${app.url}/status`,
      statusCallbackEvent: ["initiated", "ringing", "answered", "completed"],
    });
    return emu.callEnded(created.sid);
  }

  it("takes a spoken tip after key 2: SpeechResult and Confidence reach the action, all signed", async () => {
    const call = await callWith(
      { answer: "human", script: [{ digits: "2" }, { speech: "ik zag een man in een rode jas", confidence: 0.91 }] },
      "+31610000001",
    );
    assert.equal(call.status, "completed");
    assert.deepEqual(kinds(call.transcript), [
      "answered",
      "say:Burgernet melding. Gezocht wordt een man.",
      "say:Druk 1 voor de meldkamer, 2 voor een tip, 3 om in te spreken.",
      "pressed:2",
      "say:Spreek uw tip in.",
      "spoke",
      "say:Bedankt voor uw tip.",
      "hangup",
    ]);
    const said = call.transcript.find((e) => e.kind === "say");
    assert.deepEqual(said && said.kind === "say" && [said.language, said.voice], ["nl-NL", "Polly.Lotte"]);
    const mine = hits.filter((h) => h.params.CallSid === call.sid);
    assert.ok(mine.length > 0 && mine.every((h) => h.signatureValid), "every webhook carries a valid signature");
    const menu = mine.find((h) => h.path === "/menu");
    assert.equal(menu?.params.Digits, "2");
    const tip = mine.find((h) => h.path === "/tip");
    assert.equal(tip?.params.SpeechResult, "ik zag een man in een rode jas");
    assert.equal(tip?.params.Confidence, "0.91");
    assert.equal(tip?.params.CallStatus, "in-progress");
  });

  it("sends status callbacks initiated → ringing → answered → completed with sequence numbers", async () => {
    const call = await callWith({ answer: "human" }, "+31610000002");
    const statuses = hits.filter((h) => h.path === "/status" && h.params.CallSid === call.sid);
    assert.deepEqual(
      statuses.map((h) => h.params.CallStatus),
      ["initiated", "ringing", "in-progress", "completed"],
    );
    assert.deepEqual(
      statuses.map((h) => h.params.SequenceNumber),
      ["0", "1", "2", "3"],
    );
    const done = statuses[3].params;
    assert.equal(done.CallbackSource, "call-progress-events");
    assert.equal(done.Direction, "outbound-api");
    assert.equal(done.ApiVersion, "2010-04-01");
    assert.ok(Number(done.CallDuration) > 0);
    assert.ok(done.Timestamp.endsWith("+0000"));
    assert.ok(statuses.every((h) => h.signatureValid));
  });

  it("puts the caller through with <Dial>: DialCallStatus and DialCallDuration from the dialled persona", async () => {
    const call = await callWith({ answer: "human", script: [{ digits: "1" }] }, "+31610000003");
    const dialed = hits.find((h) => h.path === "/dialed" && h.params.CallSid === call.sid);
    assert.equal(dialed?.params.DialCallStatus, "completed");
    assert.equal(dialed?.params.DialCallDuration, "30");
    assert.match(dialed?.params.DialCallSid ?? "", /^CA[0-9a-f]{32}$/);
    const dial = call.transcript.find((e) => e.kind === "dial");
    assert.deepEqual(dial && dial.kind === "dial" && [dial.number, dial.status], [MELDKAMER, "completed"]);
  });

  it("reports a busy meldkamer as DialCallStatus busy", async () => {
    emu.setPersona(MELDKAMER, { answer: "busy" });
    try {
      const call = await callWith({ answer: "human", script: [{ digits: "1" }] }, "+31610000004");
      const dialed = hits.find((h) => h.path === "/dialed" && h.params.CallSid === call.sid);
      assert.equal(dialed?.params.DialCallStatus, "busy");
      assert.equal(dialed?.params.DialCallDuration, undefined);
    } finally {
      emu.setPersona(MELDKAMER, { answer: "human", talkSeconds: 30 });
    }
  });

  it("records a message with <Record>: RecordingUrl, RecordingDuration and RecordingSid", async () => {
    const call = await callWith(
      { answer: "human", script: [{ digits: "3" }, { record: { seconds: 12 } }] },
      "+31610000005",
    );
    const recorded = hits.find((h) => h.path === "/recorded" && h.params.CallSid === call.sid);
    assert.equal(recorded?.params.RecordingDuration, "12");
    assert.match(recorded?.params.RecordingSid ?? "", /^RE[0-9a-f]{32}$/);
    assert.ok(recorded?.params.RecordingUrl.startsWith(emu.url));
    assert.deepEqual(kinds(call.transcript).slice(-3), ["recorded", "say:Dank u wel.", "hangup"]);
  });

  it("moves on to the next verb when a Gather gets no input", async () => {
    const call = await callWith({ answer: "human" }, "+31610000006");
    assert.deepEqual(kinds(call.transcript).slice(-3), ["silence", "say:Geen keuze ontvangen.", "hangup"]);
    assert.equal(hits.filter((h) => h.path === "/menu" && h.params.CallSid === call.sid).length, 0);
  });

  it("lets a citizen hang up in the middle of the message", async () => {
    const call = await callWith({ answer: "human", hangupAfterSeconds: 2 }, "+31610000007");
    const first = call.transcript[1];
    assert.equal(first.kind === "say" && first.interrupted, true);
    assert.equal(call.transcript.length, 3, "nothing after the hang-up");
    assert.deepEqual(call.transcript.at(-1), { kind: "hangup", by: "citizen", t: 2 });
    assert.equal(call.duration, 2);
  });

  for (const [path, code] of [
    ["/broken", 12100],
    ["/unknown-verb", 12100],
    ["/error", 11200],
  ] as const) {
    it(`ends the call with error ${code} for ${path}`, async () => {
      const call = await callWith({ answer: "human" }, "+31610000008", `${app.url}${path}`);
      assert.equal(call.errorCode, code);
      assert.equal(call.transcript.at(-1)?.kind, "error");
      assert.equal(call.status, "completed");
      if (path === "/unknown-verb")
        assert.ok(!call.transcript.some((e) => e.kind === "say"), "nothing of an invalid document runs");
    });
  }

  it("redirects a live call when the API posts a new Url", async () => {
    emu.setPersona("+31610000009", { answer: "human" });
    const created = await client.calls.create({ to: "+31610000009", from: FROM, url: `${app.url}/voice` });
    await emu.waitFor(() => emu.getCall(created.sid)?.status === "in-progress");
    await client.calls(created.sid).update({ url: `${app.url}/tip` });
    const call = await emu.callEnded(created.sid);
    assert.ok(kinds(call.transcript).includes("say:Bedankt voor uw tip."));
  });

  it("hangs up an in-progress call on Status=completed", async () => {
    emu.setPersona("+31610000010", { answer: "human" });
    const created = await client.calls.create({ to: "+31610000010", from: FROM, url: `${app.url}/voice` });
    await emu.waitFor(() => emu.getCall(created.sid)?.status === "in-progress");
    const updated = await client.calls(created.sid).update({ status: "completed" });
    assert.equal(updated.status, "completed");
    const call = await emu.callEnded(created.sid);
    assert.deepEqual(call.transcript.at(-1)?.kind, "hangup");
  });

  it("uses GET with the parameters in the signed query string when Method=GET", async () => {
    emu.setPersona("+31610000011", { answer: "human" });
    const created = await client.calls.create({
      to: "+31610000011",
      from: FROM,
      url: `${app.url}/tip?lang=nl`,
      method: "GET",
    });
    await emu.callEnded(created.sid);
    const hit = hits.find((h) => h.path === "/tip" && h.params.CallSid === created.sid);
    assert.equal(hit?.params.lang, "nl");
    assert.equal(hit?.signatureValid, true);
  });
});
