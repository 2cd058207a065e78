import type VoiceResponse from "twilio/lib/twiml/VoiceResponse.js";
import { plainSpoken, SPELL_MARKUP } from "../rules/spoken-length.js";
import { spellsWith } from "../twilio/ssml.js";

type Out = VoiceResponse | VoiceResponse.Gather;

/**
 * A `<Say>` of a text that may spell words: in SSML where the voice spells in its own voice (each group of a plate
 * its own `<say-as>`, a short break between), otherwise character by character in plain text (src/twilio/ssml.ts).
 */
export function sayText(out: Out, attrs: VoiceResponse.SayAttributes, text: string): void {
  const parts = text.split(SPELL_MARKUP);
  if (parts.length === 1) {
    out.say(attrs, text);
    return;
  }
  const interpretAs = spellsWith(attrs.voice);
  if (!interpretAs) {
    out.say(attrs, plainSpoken(text));
    return;
  }
  const say = out.say(attrs, "");
  // split() with a capture group alternates text and the captured word.
  parts.forEach((part, i) => {
    if (i % 2 === 0) {
      if (part) say.addText(part);
      return;
    }
    part.split("-").forEach((group, j) => {
      if (j > 0) say.break({ strength: "weak" });
      say.sayAs({ "interpret-as": interpretAs }, group);
    });
  });
}
