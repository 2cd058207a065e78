import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import twilio from "twilio";
import type { Emulator, SimCall } from "../../src/sim/index.ts";
import type { TwilioClient } from "../../src/twilio/client.ts";
import { sayText } from "../../src/ivr/ssml.ts";
import { FROM, emulatorWithClient, startTwimlApp, voice } from "./helpers.ts";

const PLATE = 'Kenteken <say-as interpret-as="spell-out">12-ABC-3</say-as>, een grijze bus.';
type Voice = Parameters<InstanceType<typeof twilio.twiml.VoiceResponse>["say"]>[0] extends infer A
  ? A extends { voice?: infer V }
    ? V
    : never
  : never;

/** SSML in <Say> is held to what Twilio takes for the voice (src/twilio/ssml.ts). */
describe("the emulator checks the SSML inside <Say> against the voice", () => {
  let emu: Emulator;
  let client: TwilioClient;
  let app: Awaited<ReturnType<typeof startTwimlApp>>;
  let n = 0;
  const say = (
    v: string,
    lang: string,
    build: (s: ReturnType<InstanceType<typeof twilio.twiml.VoiceResponse>["say"]>) => void,
  ) => voice((r) => build(r.say({ voice: v as Voice, language: lang as never }, "Let op. ")));

  before(async () => {
    ({ emu, client } = await emulatorWithClient());
    app = await startTwimlApp({
      "/chirp-say-as": () =>
        say("Google.nl-NL-Chirp3-HD-Kore", "nl-NL", (s) => s.sayAs({ "interpret-as": "characters" }, "ABC")),
      "/neural-emphasis": () => say("Polly.Laura-Neural", "nl-NL", (s) => s.emphasis({ level: "strong" }, "Nu")),
      "/neural-spell-out": () =>
        say("Polly.Laura-Neural", "nl-NL", (s) => s.sayAs({ "interpret-as": "spell-out" }, "AB")),
      "/standard-spell-out": () => say("Polly.Lotte", "nl-NL", (s) => s.sayAs({ "interpret-as": "spell-out" }, "AB")),
      "/not-ssml": () => '<Response><Say voice="Polly.Lotte" language="nl-NL">Let op <b>nu</b></Say></Response>',
      // What the alert call renders for a plate, per kind of voice.
      "/plate": (params) =>
        voice((r) => sayText(r, { voice: params.voice as Voice, language: "nl-NL" as never }, PLATE)),
    });
  });
  after(async () => {
    await emu.close();
    await app.app.close();
  });

  async function call(path: string): Promise<SimCall> {
    const to = `+316210000${String(n++).padStart(2, "0")}`;
    emu.setPersona(to, { answer: "human" });
    const created = await client.calls.create({ to, from: FROM, url: `${app.url}${path}` });
    return emu.callEnded(created.sid);
  }
  const says = (c: SimCall) => c.transcript.filter((e) => e.kind === "say");

  it("refuses SSML for a Chirp 3: HD voice: warning 13520 and the Say is not heard", async () => {
    const c = await call("/chirp-say-as");
    assert.deepEqual(
      c.warnings?.map((w) => w.code),
      [13520],
    );
    assert.match(c.warnings![0].message, /Chirp 3: HD\) takes no SSML/);
    assert.equal(says(c).length, 0);
  });

  it("refuses <emphasis> for a Polly neural voice", async () => {
    const c = await call("/neural-emphasis");
    assert.deepEqual(
      c.warnings?.map((w) => w.code),
      [13520],
    );
    assert.equal(says(c).length, 0);
  });

  it("ends the call with 12200 for an element inside <Say> that is not SSML", async () => {
    const c = await call("/not-ssml");
    assert.equal(c.errorCode, 12200);
  });

  it("marks a neural voice asked to spell: Polly reads that sentence in another voice", async () => {
    const c = await call("/neural-spell-out");
    assert.equal(c.warnings, undefined);
    assert.equal(says(c)[0].voiceFallback, true);
    const standard = await call("/standard-spell-out");
    assert.equal(says(standard)[0].voiceFallback, undefined);
    assert.deepEqual(says(standard)[0].spelled, ["AB"]);
  });

  for (const [v, heard] of [
    ["Polly.Laura-Neural", { text: "Kenteken 1 2, A B C, 3, een grijze bus." }],
    ["Polly.Lotte", { spelled: ["12", "ABC", "3"] }],
    ["Polly.Laura-Generative", { spelled: ["12", "ABC", "3"] }],
    ["Google.nl-NL-Wavenet-B", { spelled: ["12", "ABC", "3"] }],
    ["Google.nl-NL-Chirp3-HD-Kore", { text: "Kenteken 1 2, A B C, 3, een grijze bus." }],
  ] as const) {
    it(`a licence plate rendered for ${v} is spelled character by character in that voice, no warning`, async () => {
      const c = await call(`/plate?voice=${encodeURIComponent(v)}`);
      assert.equal(c.warnings, undefined, JSON.stringify(c.warnings));
      const [s] = says(c);
      assert.equal(s.voiceFallback, undefined);
      if ("text" in heard) assert.equal(s.text, heard.text);
      else {
        assert.deepEqual(s.spelled, heard.spelled);
        assert.equal(s.text, "Kenteken 12ABC3, een grijze bus.");
      }
    });
  }
});
