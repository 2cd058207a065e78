import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Emulator, SimCall } from "../../src/sim/index.ts";
import type { TwilioClient } from "../../src/twilio/client.ts";
import { FROM, emulatorWithClient, startTwimlApp, voice } from "../sim/helpers.ts";

type Say = { language: string; voice: string; text: string };

/** The emulator's voice table is the service's: it learns the new languages and refuses mixed pairs like Twilio. */
describe("the emulator speaks the new languages with their own voices only", () => {
  let emu: Emulator;
  let client: TwilioClient;
  let app: Awaited<ReturnType<typeof startTwimlApp>>;
  let n = 0;
  const pages: Record<string, Say[]> = {
    "/own-voices": [
      { language: "de-DE", voice: "Polly.Vicki-Neural", text: "Hallo." },
      { language: "fr-FR", voice: "Polly.Lea-Neural", text: "Bonjour." },
      { language: "pl-PL", voice: "Polly.Ola-Neural", text: "Dzień dobry." },
      { language: "tr-TR", voice: "Polly.Burcu-Neural", text: "Merhaba." },
      { language: "arb", voice: "Polly.Zeina", text: "مرحبا." },
      { language: "ar-XA", voice: "Google.ar-XA-Wavenet-A", text: "مرحبا." },
      { language: "uk-UA", voice: "Google.uk-UA-Wavenet-A", text: "Добрий день." },
    ],
    "/german-voice-for-ukrainian": [{ language: "uk-UA", voice: "Polly.Vicki-Neural", text: "Добрий день." }],
    "/polly-ukrainian": [{ language: "uk-UA", voice: "Polly.Tatyana", text: "Добрий день." }],
  };

  before(async () => {
    ({ emu, client } = await emulatorWithClient());
    app = await startTwimlApp(
      Object.fromEntries(
        Object.entries(pages).map(([path, says]) => [
          path,
          () =>
            voice((r) => {
              for (const s of says) r.say({ language: s.language as never, voice: s.voice as never }, s.text);
            }),
        ]),
      ),
    );
  });
  after(async () => {
    await emu.close();
    await app.app.close();
  });

  async function call(path: string): Promise<SimCall> {
    const to = `+316200001${String(n++).padStart(2, "0")}`;
    emu.setPersona(to, { answer: "human" });
    const created = await client.calls.create({ to, from: FROM, url: `${app.url}${path}` });
    return emu.callEnded(created.sid);
  }

  it("plays German, French, Polish, Turkish, Arabic and Ukrainian voices without a warning", async () => {
    const c = await call("/own-voices");
    assert.equal(c.warnings, undefined);
    assert.equal(c.transcript.filter((e) => e.kind === "say").length, 7);
  });

  it("warns 13511 for a German voice reading Ukrainian, and for a Polly voice Ukrainian does not have", async () => {
    assert.deepEqual(
      (await call("/german-voice-for-ukrainian")).warnings?.map((w) => [w.code, w.message]),
      [[13511, 'Invalid voice value: "Polly.Vicki-Neural" speaks de-DE, not uk-UA']],
    );
    assert.deepEqual(
      (await call("/polly-ukrainian")).warnings?.map((w) => [w.code, w.message]),
      [[13511, 'Invalid voice value: "Polly.Tatyana" is not a voice Twilio offers']],
    );
  });
});
