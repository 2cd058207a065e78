/**
 * `<Gather speechModel>` values and the languages (of those this service uses) each one recognises.
 *
 * Sources (checked 2026-12-01): Twilio's `<Gather>` reference, https://www.twilio.com/docs/voice/twiml/gather
 * ("speechModel": Google STT V2 `googlev2_*` and Deepgram `deepgram_*` models next to the older generic ones; since
 * the 2025 migration an unset model lets Twilio choose, and may change, the provider), Google's STT V2 language
 * table (the `telephony` model covers nl-NL and en-GB) and Deepgram's model overview (Nova-2 and Nova-3 cover Dutch
 * and British English). Twilio logs 13334 for an unknown model, 13331 for a language the model does not support and
 * 13335 for speechTimeout="auto" next to an explicit model (https://www.twilio.com/docs/api/errors/13335).
 *
 * Added 2026-12-07: German and French on Google's telephony models (Google STT V2 language table,
 * https://cloud.google.com/speech-to-text/v2/docs/speech-to-text-supported-languages); Polish, Turkish and Ukrainian
 * on Deepgram Nova-2 and Nova-3 (Deepgram's language list names pl, tr and uk) and on Google's long and short models.
 * Arabic is left out on purpose: the Arabic spoken in the Netherlands (Moroccan, Syrian, Iraqi) is served by no single
 * locale of these models, so the Arabic script listens for keys only and records a tip (speech.model null).
 */
export const SPEECH_MODELS: Readonly<Record<string, readonly string[]>> = {
  googlev2_telephony: ["nl-NL", "en-GB", "en-US", "de-DE", "fr-FR"],
  googlev2_telephony_short: ["nl-NL", "en-GB", "en-US", "de-DE", "fr-FR"],
  googlev2_short: ["nl-NL", "nl-BE", "en-GB", "en-US", "de-DE", "fr-FR", "pl-PL", "tr-TR", "uk-UA"],
  googlev2_long: ["nl-NL", "nl-BE", "en-GB", "en-US", "de-DE", "fr-FR", "pl-PL", "tr-TR", "uk-UA"],
  "deepgram_nova-2": ["nl-NL", "nl-BE", "en-GB", "en-US", "de-DE", "fr-FR", "pl-PL", "tr-TR", "uk-UA"],
  "deepgram_nova-3": ["nl-NL", "nl-BE", "en-GB", "en-US", "de-DE", "fr-FR", "pl-PL", "tr-TR", "uk-UA"],
  phone_call: ["en-GB", "en-US"],
  numbers_and_commands: ["nl-NL", "nl-BE", "en-GB", "en-US"],
  default: ["nl-NL", "nl-BE", "en-GB", "en-US"],
  experimental_conversations: ["nl-NL", "en-GB", "en-US"],
  experimental_utterances: ["nl-NL", "en-GB", "en-US"],
};

export type SpeechModelProblem = { code: 13334 | 13331; message: string };

/** Why Twilio would refuse this model for this language, or undefined when it recognises it. */
export function speechModelProblem(model: string, language: string): SpeechModelProblem | undefined {
  const languages = SPEECH_MODELS[model];
  if (!languages) return { code: 13334, message: `"${model}" is not a speech model Twilio offers` };
  if (!languages.includes(language))
    return { code: 13331, message: `speech model "${model}" does not recognise ${language}` };
  return undefined;
}
