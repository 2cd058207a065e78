export type CallStatus =
  "queued" | "ringing" | "in-progress" | "completed" | "busy" | "failed" | "no-answer" | "canceled";

export type CallDirection = "outbound-api" | "inbound";

export type AnsweredBy =
  "human" | "machine_start" | "machine_end_beep" | "machine_end_silence" | "machine_end_other" | "fax" | "unknown";

/** How the phone behind a number reacts to a call. */
export type AnswerMode = "human" | "busy" | "no-answer" | "voicemail" | "failed" | "invalid";

export type SmsOutcome = "delivered" | "undelivered" | "failed";

/**
 * One response of a citizen to a successive <Gather> or <Record> prompt. `duringPrompt`: pressed (or spoken) that many
 * seconds after the Gather's nested Say/Play/Pause began, interrupting them (barge-in); otherwise after they ended.
 */
export type PersonaAction =
  | { digits: string; afterSeconds?: number; duringPrompt?: number }
  | { speech: string; confidence?: number; afterSeconds?: number; duringPrompt?: number }
  | { silence: true }
  | { hangup: true; afterSeconds?: number }
  | { record: { seconds: number; hangup?: boolean } };

export interface Persona {
  answer: AnswerMode;
  /**
   * Rings this long before answering (human 4 s, voicemail 20 s); for no-answer, the carrier gives up then
   * (default: the call's Timeout).
   */
  ringSeconds?: number;
  /** Hangs up this many seconds after answering; omitted: listens until the service hangs up. */
  hangupAfterSeconds?: number;
  /** Responses to successive prompts; once used up the citizen stays silent. */
  script?: readonly PersonaAction[];
  /** When reached through <Dial>: how long the conversation lasts (default 20 s). */
  talkSeconds?: number;
  /** Voicemail greeting length until the beep (default 8 s). */
  greetingSeconds?: number;
  /** Overrides the AMD verdict. */
  answeredBy?: AnsweredBy;
  sms?: SmsOutcome;
  /** ErrorCode for an undelivered/failed SMS (default 30003 / 30008). */
  smsErrorCode?: number;
  /** A fixed line: SMS is refused with 21614. */
  landline?: boolean;
}

export type PersonaSource =
  ReadonlyMap<string, Persona> | Readonly<Record<string, Persona>> | ((phone: string) => Persona | undefined);

/** `t` is simulated seconds since the call was answered. */
export type TranscriptEntry =
  | { t: number; kind: "answered"; answeredBy?: AnsweredBy }
  | {
      t: number;
      kind: "say";
      text: string;
      language?: string;
      voice?: string;
      interrupted?: boolean;
      /** Words a `<say-as>` spelled letter by letter. */
      spelled?: string[];
      /** Polly spoke part of this Say in another voice (a neural voice asked to spell). */
      voiceFallback?: boolean;
    }
  | { t: number; kind: "play"; url: string; interrupted?: boolean }
  | { t: number; kind: "pause"; seconds: number }
  | { t: number; kind: "pressed"; digits: string }
  | { t: number; kind: "spoke"; speech: string; confidence: number }
  | { t: number; kind: "silence" }
  | { t: number; kind: "recorded"; seconds: number; recordingSid: string; recordingUrl: string }
  | { t: number; kind: "dial"; number: string; status: DialStatus; seconds: number }
  /** What the dialled party heard from `<Number url>` before being bridged (the whisper). */
  | { t: number; kind: "whisper"; number: string; text: string }
  | { t: number; kind: "redirect"; url: string }
  | { t: number; kind: "reject"; reason: string }
  | { t: number; kind: "hangup"; by: "citizen" | "service" | "api" }
  | { t: number; kind: "error"; code: number; message: string }
  /** What Twilio logs as a warning in its debugger and carries on (a voice it does not have: a fallback voice). */
  | { t: number; kind: "warning"; code: number; message: string };

export type DialStatus = "completed" | "answered" | "busy" | "no-answer" | "failed" | "canceled";

export interface CallRequest {
  url?: string;
  method: "GET" | "POST";
  twiml?: string;
  statusCallback?: string;
  statusCallbackMethod: "GET" | "POST";
  statusCallbackEvents: readonly string[];
  timeout: number;
  timeLimit: number;
  machineDetection?: "Enable" | "DetectMessageEnd";
  asyncAmd: boolean;
  asyncAmdStatusCallback?: string;
  asyncAmdStatusCallbackMethod: "GET" | "POST";
}

export interface SimCall {
  readonly sid: string;
  readonly accountSid: string;
  readonly direction: CallDirection;
  readonly to: string;
  readonly from: string;
  readonly parentCallSid?: string;
  readonly request: CallRequest;
  status: CallStatus;
  /** Epoch milliseconds (real time). */
  createdAt: number;
  updatedAt: number;
  /** When the call left the CPS queue (epoch ms, fractional): what pacing is judged on. */
  startedAt?: number;
  answeredAt?: number;
  endedAt?: number;
  /** Simulated seconds from answer to hang-up. */
  duration?: number;
  queueTimeMs: number;
  answeredBy?: AnsweredBy;
  errorCode?: number;
  errorMessage?: string;
  /** Twilio's warnings for this call (13511, 13321, 13334 …), kept even without transcripts. */
  warnings?: { code: number; message: string }[];
  transcript: TranscriptEntry[];
}

export type MessageStatus =
  "accepted" | "queued" | "sending" | "sent" | "delivered" | "undelivered" | "failed" | "received";

export type MessageDirection = "inbound" | "outbound-api" | "outbound-reply";

export interface SimMessage {
  readonly sid: string;
  readonly accountSid: string;
  readonly direction: MessageDirection;
  readonly to: string;
  readonly from: string;
  readonly body: string;
  readonly messagingServiceSid?: string;
  readonly statusCallback?: string;
  readonly validityPeriod?: number;
  readonly numSegments: number;
  status: MessageStatus;
  createdAt: number;
  updatedAt: number;
  sentAt?: number;
  errorCode?: number;
}

export interface Webhooks {
  /** Where inbound calls to any number are posted (A call comes in). */
  voiceUrl?: string;
  voiceMethod?: "GET" | "POST";
  /** Status callbacks for inbound calls. */
  voiceStatusCallback?: string;
  /** Where inbound SMS are posted (A message comes in). */
  smsUrl?: string;
  smsMethod?: "GET" | "POST";
}
