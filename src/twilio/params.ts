/**
 * The parameter names Twilio documents for each kind of webhook it sends. A request to one of our Twilio routes
 * may carry only the names its route lists (routes.ts): the signature covers names and values run together, so
 * a name Twilio never sends is the mark of a request reshaped from a captured one.
 *
 * Sources: Twilio's docs "TwiML voice: request parameters" (with the geographic and legacy Called/Caller names),
 * the call status callback, asynchronous AMD, <Gather>, <Record> and <Dial> action parameters, "Messaging
 * webhooks" (incoming message and status callback), and what src/sim sends.
 */
const geo = (prefix: string) => ["City", "State", "Zip", "Country"].map((s) => prefix + s);

/** Sent with every request about a call: the TwiML fetch, every action, every status callback. */
export const CALL = [
  "AccountSid",
  "ApiVersion",
  "ApplicationSid",
  "CallSid",
  "CallStatus",
  "CallToken",
  "CallerName",
  "Direction",
  "ForwardedFrom",
  "ParentCallSid",
  "From",
  "To",
  "Called",
  "Caller",
  ...geo("From"),
  ...geo("To"),
  ...geo("Called"),
  ...geo("Caller"),
  "StirVerstat",
  "StirPassportToken",
  "AddOns",
  // Synchronous answering-machine detection adds these to the TwiML request.
  "AnsweredBy",
  "MachineDetectionDuration",
] as const;

/** <Gather> action: keys or speech. `msg` ("Gather End") is sent by Twilio with every Gather result. */
export const GATHER = [...CALL, "Digits", "FinishedOnKey", "SpeechResult", "Confidence", "msg"] as const;

/** <Record> action. Digits carries the key that ended the recording, or "hangup". */
export const RECORD = [...CALL, "RecordingUrl", "RecordingSid", "RecordingDuration", "Digits"] as const;

/** <Dial> action. */
export const DIAL = [
  ...CALL,
  "DialCallStatus",
  "DialCallSid",
  "DialCallDuration",
  "DialBridged",
  "RecordingUrl",
  "RecordingSid",
  "RecordingDuration",
] as const;

/** Call progress status callback (initiated, ringing, answered, completed). */
export const CALL_STATUS = [
  ...CALL,
  "CallbackSource",
  "SequenceNumber",
  "Timestamp",
  "CallDuration",
  "Duration",
  "SipResponseCode",
  "ErrorCode",
  "ErrorMessage",
  "RecordingUrl",
  "RecordingSid",
  "RecordingDuration",
] as const;

/** Asynchronous answering-machine detection result. */
export const AMD = ["AccountSid", "CallSid", "AnsweredBy", "MachineDetectionDuration"] as const;

const media = Array.from({ length: 10 }, (_, i) => [`MediaUrl${i}`, `MediaContentType${i}`]).flat();

/** An SMS to our number. */
export const SMS_INBOUND = [
  "AccountSid",
  "ApiVersion",
  "MessageSid",
  "SmsSid",
  "SmsMessageSid",
  "SmsStatus",
  "MessagingServiceSid",
  "From",
  "To",
  "Body",
  "NumMedia",
  "NumSegments",
  "ReferralNumMedia",
  "OptOutType",
  "AddOns",
  ...geo("From"),
  ...geo("To"),
  ...media,
];

/** Outbound message status callback. */
export const SMS_STATUS = [
  "AccountSid",
  "ApiVersion",
  "MessageSid",
  "MessageStatus",
  "SmsSid",
  "SmsStatus",
  "MessagingServiceSid",
  "From",
  "To",
  "ErrorCode",
  "ErrorMessage",
  "RawDlrDoneDate",
] as const;

/** How Twilio spells a SID: two letters, 32 hex digits. */
export const SID = /^[A-Z]{2}[0-9a-f]{32}$/;

const sidOf = (prefixes: string) => new RegExp(`^(${prefixes})[0-9a-f]{32}$`);
const count = /^[0-9]{1,9}$/;

/** The values of the parameters we read or that carry structure, as Twilio writes them; the rest is free text. */
export const VALUE_FORMAT: Readonly<Record<string, RegExp>> = {
  AccountSid: sidOf("AC"),
  CallSid: sidOf("CA"),
  ParentCallSid: sidOf("CA"),
  DialCallSid: sidOf("CA"),
  MessageSid: sidOf("SM|MM"),
  SmsSid: sidOf("SM|MM"),
  SmsMessageSid: sidOf("SM|MM"),
  MessagingServiceSid: sidOf("MG"),
  RecordingSid: sidOf("RE"),
  ApiVersion: /^2010-04-01$/,
  Digits: /^([0-9*#]{0,64}|hangup|timeout)$/,
  Confidence: /^(0|1)(\.[0-9]{1,17})?$|^0?\.[0-9]{1,17}$/,
  CallDuration: count,
  DialCallDuration: count,
  RecordingDuration: count,
  Duration: count,
  SequenceNumber: count,
  MachineDetectionDuration: count,
  NumMedia: count,
  NumSegments: count,
  ErrorCode: count,
};
