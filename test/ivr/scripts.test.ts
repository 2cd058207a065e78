import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ivrHandlers } from "../../src/ivr/routes.js";
import { loadVoiceScriptFile, loadVoiceScripts, VoiceScriptError } from "../../src/ivr/load-scripts.js";
import type { Config } from "../../src/config.js";
import type { Db } from "../../src/db/db.js";
import type { Carrier } from "../../src/twilio/carrier.js";
import type { TwilioClient } from "../../src/twilio/client.js";

const BAD = "test/ivr/fixtures/bad";

// Each bad fixture breaks one rule of a good script; the error names the file and the JSON path.
const badFiles: Array<[string, string]> = [
  ["unknown-verb", "/steps/alert/0 must NOT have additional properties (sya)"],
  ["two-verbs-in-one", "/steps/alert/0 must NOT have more than 1 properties"],
  ["missing-step", "/steps must have required property 'closing'"],
  ["unknown-placeholder", "/steps/tipThanks/0/say uses the unknown placeholder {naam}"],
  ["placeholder-out-of-place", "/steps/noAlert/0/say cannot use {alertText} here"],
  ["verb-after-menu", "/steps/alert/3 must be the last verb of its step"],
  ["wrong-menu", '/steps/generalMenu/0/menu must be "general"'],
  ["missing-choice", '/menus/alert/options must offer the choice "replay"'],
  ["duplicate-key", "/menus/general/options/1/key repeats key 1 of option 0"],
  ["confidence-above-one", "/speech/tipMinConfidence must be <= 1"],
  ["voice-without-provider", '/voice must match pattern "^(Polly|Google)\\.[A-Za-z0-9-]+$"'],
  ["input-in-spoken-step", "/steps/tipThanks/1 cannot ask for input (menu) in this step"],
  ["connect-without-dial", "/steps/connect must contain exactly one dial"],
  ["tip-by-keypad", '/steps/tip/0/ask/input must be "speech"'],
  [
    "unknown-choice",
    "/menus/alert/options/0/choice must be equal to one of the allowed values: connect, report, replay, " +
      "postcode, unsubscribe, yes, no, near, away",
  ],
  // Issue 25: the presence question is optional, but whole.
  ["presence-without-its-menu", "/steps/presenceCheck needs presenceCheck, presenceAway and menus/presence together"],
  ["sms-placeholder-out-of-place", "/sms/info cannot use {alertText} here"],
  ["sms-too-long", "/sms/info must NOT have more than 306 characters"],
  // Twilio's voices and speech models (src/twilio/voices.ts, speech-models.ts): what real Twilio would not play.
  ["voice-that-does-not-exist", '/voice "Polly.Ruben-Neural" is not a voice Twilio offers (see src/twilio/voices.ts)'],
  ["voice-of-another-language", '/voice "Polly.Amy-Neural" speaks en-GB, not nl-NL (see src/twilio/voices.ts)'],
  [
    "speech-model-without-dutch",
    '/speech/model speech model "phone_call" does not recognise nl-NL (see src/twilio/speech-models.ts)',
  ],
];

describe("voice scripts", () => {
  test("the shipped scripts load: Dutch and English", () => {
    const scripts = loadVoiceScripts();
    assert.equal(scripts.nl.language, "nl-NL");
    assert.equal(scripts.en?.language, "en-GB");
    assert.equal(
      scripts.nl.steps.alert[0] && "say" in scripts.nl.steps.alert[0] && scripts.nl.steps.alert[0].say,
      "Hier volgt een oproep van Burgernet, namens de politie.",
    );
  });

  test("a good fixture directory loads", () => {
    const scripts = loadVoiceScripts("test/ivr/fixtures/good");
    assert.equal(scripts.nl.voice, "Google.nl-NL-Standard-B");
    assert.equal(scripts.nl.retries, 2);
  });

  for (const [name, message] of badFiles) {
    test(`bad script ${name}: ${message}`, () => {
      const file = `${BAD}/${name}.json`;
      assert.throws(
        () => loadVoiceScriptFile(file),
        (err: unknown) => {
          assert.ok(err instanceof VoiceScriptError);
          assert.equal(err.message, `${file}: ${message}`);
          return true;
        },
      );
    });
  }

  test("bad script not-json: names the file and says why", () => {
    assert.throws(() => loadVoiceScriptFile(`${BAD}/not-json.json`), {
      message: /^test\/ivr\/fixtures\/bad\/not-json\.json: \/ is not valid JSON \(.+\)$/,
    });
  });

  test("a directory without a Dutch script is refused", () => {
    assert.throws(() => loadVoiceScripts(`${BAD}/dir-without-dutch`), {
      message: `${BAD}/dir-without-dutch: / has no Dutch script (nl-NL.json)`,
    });
  });

  test("a script whose language does not match its file name is refused", () => {
    assert.throws(() => loadVoiceScripts(`${BAD}/dir-misnamed`), {
      message: `${BAD}/dir-misnamed/nl-NL.json: /language must match the file name (nl-NL)`,
    });
  });

  test("the IVR (and so buildApp) refuses to start on a broken script", () => {
    const opts = {
      config: {} as Config,
      db: {} as Db,
      carrier: {} as Carrier,
      clock: () => new Date(),
      participants: {
        verify: async () => {
          throw new Error("unused");
        },
      },
      scriptsDir: `${BAD}/dir-misnamed`,
    };
    assert.throws(() => ivrHandlers(opts), VoiceScriptError);
  });

  test("buildApp does not start with a Dutch script spoken by an English voice, and says where", async () => {
    const { buildApp } = await import("../../src/app.js");
    const { loadConfig } = await import("../../src/config.js");
    await assert.rejects(
      buildApp({
        config: loadConfig({ LOG_LEVEL: "silent" }),
        db: {} as Db,
        twilio: {} as TwilioClient,
        logger: false,
        voiceScriptsDir: `${BAD}/dir-dutch-with-english-voice`,
        dispatch: { autoStart: false },
      }),
      {
        name: "VoiceScriptError",
        message:
          `${BAD}/dir-dutch-with-english-voice/nl-NL.json: ` +
          '/voice "Polly.Amy-Neural" speaks en-GB, not nl-NL (see src/twilio/voices.ts)',
      },
    );
  });

  test("the shipped scripts use voices Twilio has for their language, the same for every call", () => {
    const scripts = loadVoiceScripts();
    assert.equal(scripts.nl.voice, "Polly.Laura-Neural");
    assert.equal(scripts.en?.voice, "Polly.Amy-Neural");
    assert.equal(scripts.nl.speech.model, "googlev2_telephony");
  });
});
