import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator, Persona, SimCall } from "../../src/sim/index.ts";
import type { TwilioClient } from "../../src/twilio/client.ts";
import { FROM, emulatorWithClient, startTwimlApp, voice } from "./helpers.ts";

const LONG = "Gezocht wordt een man van ongeveer veertig jaar met een rode jas, een zwarte pet en een grijze rugzak.";

/** The emulator holds TwiML to Twilio's rules, so that our own tests fail where Twilio would. */
describe("the emulator plays TwiML as Twilio does: voices, Gather nesting, speech models, sizes", () => {
  let emu: Emulator;
  let client: TwilioClient;
  let app: Awaited<ReturnType<typeof startTwimlApp>>;
  let n = 0;

  before(async () => {
    ({ emu, client } = await emulatorWithClient());
    app = await startTwimlApp({
      "/ruben-neural": () => voice((r) => r.say({ language: "nl-NL", voice: "Polly.Ruben-Neural" as never }, "Hallo.")),
      "/laura-neural": () => voice((r) => r.say({ language: "nl-NL", voice: "Polly.Laura-Neural" }, "Hallo.")),
      "/english-voice-in-gather": () =>
        voice((r) => {
          r.gather({ numDigits: 1, timeout: 1 }).say({ language: "nl-NL", voice: "Polly.Amy-Neural" }, "Druk 1.");
        }),
      "/model-without-dutch": () =>
        voice((r) => {
          r.gather({ input: ["speech"], language: "nl-NL", speechModel: "phone_call", timeout: 1 });
        }),
      "/auto-with-model": () =>
        voice((r) => {
          r.gather({
            input: ["speech"],
            language: "nl-NL",
            speechModel: "googlev2_telephony",
            speechTimeout: "auto",
            timeout: 1,
          });
        }),
      "/unknown-model": () =>
        voice((r) => {
          r.gather({ input: ["speech"], language: "nl-NL", speechModel: "chirp-ultra" as never, timeout: 1 });
        }),
      "/gather-in-gather": () =>
        '<Response><Gather numDigits="1"><Gather numDigits="1"><Say>Hallo</Say></Gather></Gather></Response>',
      "/dial-in-gather": () => '<Response><Gather numDigits="1"><Dial>+31201234567</Dial></Gather></Response>',
      "/barge-in": () =>
        voice((r) => {
          const g = r.gather({ input: ["dtmf", "speech"], numDigits: 1, action: "/chosen", timeout: 5 });
          g.say({ language: "nl-NL", voice: "Polly.Laura-Neural" }, LONG);
          g.say({ language: "nl-NL", voice: "Polly.Laura-Neural" }, "Druk 1 voor de meldkamer.");
        }),
      "/chosen": (p) => voice((r) => r.say({ language: "nl-NL", voice: "Polly.Laura-Neural" }, `Gekozen ${p.Digits}`)),
    });
  });
  after(async () => {
    await emu.close();
    await app.app.close();
  });

  async function call(path: string, persona: Persona = { answer: "human" }): Promise<SimCall> {
    const to = `+316200000${String(n++).padStart(2, "0")}`;
    emu.setPersona(to, persona);
    const created = await client.calls.create({ to, from: FROM, url: `${app.url}${path}` });
    return emu.callEnded(created.sid);
  }

  it("warns 13511 for Polly.Ruben-Neural, a voice Twilio does not have (Ruben is standard only)", async () => {
    const c = await call("/ruben-neural");
    assert.deepEqual(
      c.warnings?.map((w) => w.code),
      [13511],
    );
    assert.match(c.warnings![0].message, /"Polly\.Ruben-Neural" is not a voice Twilio offers/);
    assert.ok(c.transcript.some((e) => e.kind === "warning" && e.code === 13511));
  });

  it("plays Polly.Laura-Neural in nl-NL without a warning", async () => {
    const c = await call("/laura-neural");
    assert.equal(c.warnings, undefined);
    assert.equal(c.status, "completed");
  });

  it("warns 13321 for an English voice reading Dutch inside a Gather", async () => {
    const c = await call("/english-voice-in-gather");
    assert.deepEqual(
      c.warnings?.map((w) => [w.code, w.message]),
      [[13321, 'Invalid voice value: "Polly.Amy-Neural" speaks en-GB, not nl-NL']],
    );
  });

  it("warns 13331 for a speech model that does not hear Dutch and 13334 for one Twilio does not have", async () => {
    assert.deepEqual(
      (await call("/model-without-dutch")).warnings?.map((w) => w.code),
      [13331],
    );
    assert.deepEqual(
      (await call("/unknown-model")).warnings?.map((w) => w.code),
      [13334],
    );
  });

  it('warns 13335 for speechTimeout="auto" with an explicit speech model', async () => {
    assert.deepEqual(
      (await call("/auto-with-model")).warnings?.map((w) => w.code),
      [13335],
    );
  });

  for (const [path, what] of [
    ["/gather-in-gather", "Gather"],
    ["/dial-in-gather", "Dial"],
  ] as const) {
    it(`ends the call with 12100 for a <${what}> inside a <Gather> (only Say, Play and Pause may nest)`, async () => {
      const c = await call(path);
      assert.equal(c.errorCode, 12100);
      assert.equal(c.errorMessage, `<${what}> is not allowed inside <Gather>`);
      assert.equal(
        c.transcript.some((e) => e.kind === "say"),
        false,
      );
    });
  }

  it("takes a key pressed during the Gather's prompt at once: the prompt stops there (barge-in)", async () => {
    const c = await call("/barge-in", { answer: "human", script: [{ digits: "1", duringPrompt: 2 }] });
    const says = c.transcript.filter((e) => e.kind === "say");
    assert.equal(says[0].text, LONG);
    assert.equal(says[0].interrupted, true);
    assert.equal(says[1].text, "Gekozen 1", "the second prompt line is never played");
    const pressed = c.transcript.find((e) => e.kind === "pressed")!;
    assert.equal(pressed.t, says[0].t + 2);
    assert.ok(app.hits.some((h) => h.path === "/chosen" && h.params.Digits === "1"));
  });

  it("takes an answer spoken during the prompt at once too", async () => {
    const c = await call("/barge-in", { answer: "human", script: [{ speech: "één", duringPrompt: 1 }] });
    const says = c.transcript.filter((e) => e.kind === "say");
    assert.equal(says[0].interrupted, true);
    const spoke = c.transcript.find((e) => e.kind === "spoke")!;
    assert.ok(spoke.t < says[0].t + 3, `answered at ${spoke.t} s`);
  });

  it("waits for the prompt to end for a key pressed afterwards", async () => {
    const c = await call("/barge-in", { answer: "human", script: [{ digits: "1" }] });
    const says = c.transcript.filter((e) => e.kind === "say");
    assert.equal(says.length, 3);
    assert.equal(
      says.some((s) => s.interrupted),
      false,
    );
  });

  it("refuses inline TwiML over 4,000 characters, and takes 4,000", async () => {
    const body = (chars: number) => {
      const shell = "<Response><Say></Say></Response>";
      return `<Response><Say>${"a".repeat(chars - shell.length)}</Say></Response>`;
    };
    emu.setPersona("+31620009999", { answer: "human" });
    await assert.rejects(client.calls.create({ to: "+31620009999", from: FROM, twiml: body(4001) }), {
      status: 400,
    });
    const ok = await client.calls.create({ to: "+31620009999", from: FROM, twiml: body(4000) });
    assert.equal((await emu.callEnded(ok.sid)).status, "completed");
  });

  it("refuses an SMS body over 1,600 characters with 21617, and sends 1,600", async () => {
    emu.setPersona("+31620008888", { answer: "human" });
    await assert.rejects(client.messages.create({ to: "+31620008888", from: FROM, body: "a".repeat(1601) }), {
      status: 400,
      code: 21617,
    });
    const sent = await client.messages.create({ to: "+31620008888", from: FROM, body: "a".repeat(1600) });
    assert.equal(sent.numSegments, "11");
  });
});
