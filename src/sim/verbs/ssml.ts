import { elementsOf, textOf, type XmlElement } from "../twiml-parser.ts";
import { ssmlRefusal, ssmlVoiceFallback } from "../../twilio/ssml.ts";
import { TwimlError } from "./verb.ts";

/** Twilio's codes: an element its TwiML schema does not know (the document fails), and SSML a voice refuses. */
export const SCHEMA_VALIDATION = 12200;
export const SAY_INVALID_TEXT = 13520;

export interface SsmlCheck {
  /** Why the voice would not speak this `<Say>` (Twilio logs 13520 and the Say is not heard), if it would not. */
  refused?: string;
  /** Polly would speak part of it in another voice (a neural voice asked to spell). */
  voiceFallback: boolean;
  /** Words spelled with `<say-as>`, as the listener hears them: letter by letter. */
  spelled: string[];
}

/**
 * The SSML inside a `<Say>`, checked as Twilio would for its voice (src/twilio/ssml.ts): an element that is not SSML
 * fails the document like any unknown TwiML (12200); SSML the voice does not take makes the Say fail (13520).
 */
export function checkSsml(say: XmlElement, voice: string | undefined): SsmlCheck {
  const out: SsmlCheck = { voiceFallback: false, spelled: [] };
  const walk = (el: XmlElement) => {
    for (const child of elementsOf(el)) {
      const refusal = ssmlRefusal(voice, child.name);
      if (refusal?.reason.includes("not SSML")) throw new TwimlError(SCHEMA_VALIDATION, refusal.reason);
      if (refusal && !out.refused) out.refused = refusal.reason;
      if (ssmlVoiceFallback(voice, child.name, child.attrs)) out.voiceFallback = true;
      const interpretAs = child.attrs["interpret-as"];
      if (child.name === "say-as" && (interpretAs === "characters" || interpretAs === "spell-out"))
        out.spelled.push(textOf(child));
      walk(child);
    }
  };
  walk(say);
  return out;
}
