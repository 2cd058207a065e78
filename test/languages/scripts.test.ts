import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { loadVoiceScripts, validateVoiceScript, VoiceScriptError } from "../../src/ivr/load-scripts.js";
import { resolveRequest } from "../../src/alerts/template-input.js";
import { smsReply } from "../../src/ivr/sms-reply.js";
import { loadTemplates } from "../../src/templates/load.js";
import { LANGUAGES, SCRIPT_LOCALES } from "../../src/languages/languages.js";
import { smsSegments } from "../../src/rules/sms-segments.js";
import { speechModelProblem } from "../../src/twilio/speech-models.js";
import { twilioVoice, voiceProblem } from "../../src/twilio/voices.js";

const scripts = loadVoiceScripts();
const raw = (locale: string) => JSON.parse(readFileSync(`voice-scripts/${locale}.json`, "utf8"));

describe("every participant language has a script the boot check accepts", () => {
  test("the shipped scripts cover Dutch, English, German, French, Polish, Turkish, Arabic and Ukrainian", () => {
    assert.deepEqual(Object.keys(scripts).sort(), ["ar", "de", "en", "fr", "nl", "pl", "tr", "uk"]);
    assert.deepEqual([...LANGUAGES].sort(), Object.keys(scripts).sort());
  });

  for (const lang of LANGUAGES) {
    const locale = SCRIPT_LOCALES[lang];
    test(`${lang}: ${locale} is spoken by a voice Twilio offers for it and says who wrote it`, () => {
      const script = scripts[lang]!;
      assert.equal(script.language, locale);
      assert.equal(voiceProblem(script.voice, script.language), undefined);
      assert.equal(twilioVoice(script.voice)?.language, locale);
      assert.equal(typeof script.translation.author, "string");
      assert.equal(typeof script.translation.reviewedByNativeSpeaker, "boolean");
      if (lang !== "nl") assert.ok(script.dutchFallback?.say && script.dutchFallback.sms, "introduces a Dutch text");
      if (script.speech.model !== null)
        assert.equal(speechModelProblem(script.speech.model, script.speech.language), undefined);
    });
  }

  test("no machine translation at run time: the new languages are marked as not yet reviewed by a native speaker", () => {
    for (const lang of ["de", "fr", "pl", "tr", "ar", "uk"] as const)
      assert.equal(scripts[lang]!.translation.reviewedByNativeSpeaker, false, lang);
  });

  test("Ukrainian is spoken by a Google voice (Amazon Polly has none); Arabic by Modern Standard Arabic", () => {
    assert.match(scripts.uk!.voice, /^Google\.uk-UA-/);
    assert.equal(twilioVoice("Google.uk-UA-Wavenet-A")?.language, "uk-UA");
    assert.equal(twilioVoice("Polly.Zeina")?.language, "arb");
    assert.equal(twilioVoice("Polly.Hala-Neural")?.language, "ar-AE");
    assert.equal(twilioVoice("Polly.Tatyana"), undefined, "a Russian voice is no Ukrainian voice");
  });

  test("Arabic, which no Twilio model transcribes well for the Arabic spoken here, takes keys and a recording", () => {
    assert.equal(scripts.ar!.speech.model, null);
    assert.equal(scripts.de!.speech.model, "googlev2_telephony");
    assert.equal(scripts.uk!.speech.model, "deepgram_nova-2");
    assert.deepEqual(speechModelProblem("googlev2_telephony", "uk-UA"), {
      code: 13331,
      message: 'speech model "googlev2_telephony" does not recognise uk-UA',
    });
  });

  // Each new script with a voice of another language: what Twilio would play with a fallback voice, or not at all.
  const wrongVoices: Array<[string, string, string]> = [
    ["de-DE", "Polly.Lea-Neural", '/voice "Polly.Lea-Neural" speaks fr-FR, not de-DE'],
    ["fr-FR", "Polly.Vicki-Neural", '/voice "Polly.Vicki-Neural" speaks de-DE, not fr-FR'],
    ["pl-PL", "Google.uk-UA-Standard-A", '/voice "Google.uk-UA-Standard-A" speaks uk-UA, not pl-PL'],
    ["tr-TR", "Polly.Ola-Neural", '/voice "Polly.Ola-Neural" speaks pl-PL, not tr-TR'],
    ["ar-XA", "Polly.Zeina", '/voice "Polly.Zeina" speaks arb, not ar-XA'],
    ["uk-UA", "Polly.Tatyana", '/voice "Polly.Tatyana" is not a voice Twilio offers'],
  ];
  for (const [locale, voice, message] of wrongVoices) {
    test(`the boot check refuses ${locale} spoken by ${voice}`, () => {
      const file = `voice-scripts/${locale}.json`;
      assert.throws(
        () => validateVoiceScript({ ...raw(locale), voice }, file),
        (err: unknown) => {
          assert.ok(err instanceof VoiceScriptError);
          assert.equal(err.message, `${file}: ${message} (see src/twilio/voices.ts)`);
          return true;
        },
      );
    });
  }

  test("the boot check refuses a script without its translation note or its Dutch introduction", () => {
    const { translation: _t, ...untold } = raw("pl-PL");
    assert.throws(() => validateVoiceScript(untold, "pl-PL.json"), {
      message: "pl-PL.json: / must have required property 'translation'",
    });
    const { dutchFallback: _d, ...bare } = raw("tr-TR");
    assert.throws(() => loadVoiceScriptsWith("tr-TR", bare), {
      message: /tr-TR\.json: \/ must have dutchFallback/,
    });
  });

  test("the boot check refuses a speech model that does not hear the language", () => {
    const script = raw("tr-TR");
    assert.throws(() => validateVoiceScript({ ...script, speech: { ...script.speech, model: "phone_call" } }, "t"), {
      message: 't: /speech/model speech model "phone_call" does not recognise tr-TR (see src/twilio/speech-models.ts)',
    });
  });
});

/** The shipped Dutch script and one other, as given, in a directory of their own. */
function loadVoiceScriptsWith(locale: string, data: unknown) {
  const dir = mkdtempSync(join(tmpdir(), "scripts-"));
  copyFileSync("voice-scripts/schema.json", join(dir, "schema.json"));
  copyFileSync("voice-scripts/nl-NL.json", join(dir, "nl-NL.json"));
  writeFileSync(join(dir, `${locale}.json`), JSON.stringify(data));
  return loadVoiceScripts(dir);
}

describe("every SMS answer fits the 3-segment cap, filled in as it goes out", () => {
  const vars = { callbackNumber: "0970 1000 0000", postcode: "1234 AB", place: "Amsterdam" };
  for (const lang of LANGUAGES) {
    test(`${lang}: at most 3 segments each`, () => {
      const script = scripts[lang]!;
      for (const [name, text] of Object.entries(script.sms)) {
        const info = smsSegments(smsReply(text, lang, vars));
        assert.ok(info.segments <= 3, `${lang} sms.${name}: ${info.segments} segments (${info.encoding})`);
      }
    });
  }
});

describe("template sentences in every participant language", () => {
  const templates = loadTemplates();

  test("every language has its template file, saying who wrote it and whether a native speaker reviewed it", () => {
    assert.deepEqual([...templates.languages.keys()].sort(), [...LANGUAGES].sort());
    for (const lang of LANGUAGES) {
      const file = raw(`../templates/${SCRIPT_LOCALES[lang]}`);
      assert.equal(typeof file.translation?.reviewedByNativeSpeaker, "boolean", lang);
    }
  });

  test("a template fills every language; one whose SMS the values make too long is left to the Dutch fallback", () => {
    const fields = { age: 8, clothing: "een rode jas", lastSeenPlace: "de Dam" };
    const short = resolveRequest({ template: { id: "missing_child", fields } } as never, templates).input.texts;
    assert.deepEqual(Object.keys(short).sort(), [...LANGUAGES].sort());
    assert.match(short.uk!.sms, /^Зникла дитина, вік 8, одяг: een rode jas\./);
    // 150 characters of description: Dutch fits 3 GSM-7 parts, the Ukrainian and Arabic sentences not 3 UCS-2 ones.
    const long = {
      ...fields,
      description: "Blond haar, blauwe ogen, sproeten, een groene rugzak met gele strepen, ".repeat(2),
    };
    const texts = resolveRequest({ template: { id: "missing_child", fields: long } } as never, templates).input.texts;
    assert.ok(texts.nl && texts.en && texts.de, "the Latin-script languages stay");
    assert.equal(texts.uk, undefined);
    assert.equal(texts.ar, undefined);
  });
});
