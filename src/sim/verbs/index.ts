import { dial } from "./dial.ts";
import { gather } from "./gather.ts";
import { hangup, reject } from "./hangup.ts";
import { pause } from "./pause.ts";
import { play } from "./play.ts";
import { record } from "./record.ts";
import { redirect } from "./redirect.ts";
import { say } from "./say.ts";
import type { Verb } from "./verb.ts";

/** The TwiML voice verbs the network can run; anything else ends the call with 12100. */
export const VERBS: Readonly<Record<string, Verb>> = {
  Say: say,
  Play: play,
  Pause: pause,
  Gather: gather,
  Record: record,
  Dial: dial,
  Redirect: redirect,
  Hangup: hangup,
  Reject: reject,
};
