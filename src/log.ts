import type { LoggerOptions } from "pino";

/**
 * Personal data never reaches the logs: phone numbers, codes, transcripts, message bodies, secrets.
 * Twilio's webhook parameters are capitalised, our own fields are camelCase: both are listed.
 */
export const redactPaths = [
  "req.headers.authorization",
  'req.headers["x-twilio-signature"]',
  "*.phone",
  "*.to",
  "*.from",
  "*.caller",
  "*.verificationCode",
  "*.body",
  "*.transcript",
  "*.secret",
  "*.key",
  "*.authToken",
  "*.To",
  "*.From",
  "*.Caller",
  "*.Called",
  "*.Body",
  "*.SpeechResult",
  "*.Digits",
  "*.RecordingUrl",
  "*.*.phone",
  "*.*.to",
  "*.*.from",
  "*.*.To",
  "*.*.From",
  "*.*.Body",
  "*.*.SpeechResult",
  "*.*.transcript",
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redactPaths, censor: "[redacted]" },
  };
}
