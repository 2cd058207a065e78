import twilio from "twilio";
import type VoiceResponse from "twilio/lib/twiml/VoiceResponse.js";
import { scriptFor } from "./load-scripts.js";
import type { VoiceScripts } from "./script-types.js";
import type { Language } from "../languages/languages.js";

/**
 * A call that only reads a text out (the registration code for a landline), in the voice and language of the
 * participant's script: the same voice as every other call, so that it is one Twilio offers for that language.
 */
export function spokenMessageTwiml(scripts: VoiceScripts, language: Language, text: string): string {
  const script = scriptFor(scripts, language);
  const twiml = new twilio.twiml.VoiceResponse();
  twiml.say(
    {
      voice: script.voice as VoiceResponse.SayAttributes["voice"],
      language: script.language as VoiceResponse.SayAttributes["language"],
    },
    text,
  );
  return twiml.toString();
}
