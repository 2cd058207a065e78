import { stdSerializers, type LoggerOptions } from "pino";
import { maskPhonesDeep, maskPhonesInText } from "./participants/mask.js";

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

/**
 * The carrier names the number in its own error texts ("The 'To' number +316… is not a valid phone number") and
 * PostgreSQL in `detail` ("Key (phone)=(+316…) already exists"): message, stack, detail and every other field of an
 * error are masked, whoever logs it.
 */
export function errSerializer(err: Error): unknown {
  // The serialized error has its own prototype: spread it into a plain object so every field is walked.
  return maskPhonesDeep({ ...stdSerializers.err(err) });
}

/**
 * Requests are logged without their query string: a client may put an API key (`/v1/live?key=…`), a phone number
 * or a cursor there, and none of it belongs in a log. The path is kept; that there was a query is noted.
 */
export function reqSerializer(req: { method?: string; url?: string; host?: string; ip?: string }) {
  const url = req.url ?? "";
  const q = url.indexOf("?");
  return {
    method: req.method,
    url: q === -1 ? url : url.slice(0, q),
    ...(q === -1 ? {} : { query: "[redacted]" }),
    host: req.host,
    remoteAddress: req.ip,
  };
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redactPaths, censor: "[redacted]" },
    serializers: { err: errSerializer, error: errSerializer, req: reqSerializer },
    // Strings anywhere in a log line lose their phone numbers.
    formatters: { log: (object) => maskPhonesDeep(object) },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((a) => (typeof a === "string" ? maskPhonesInText(a) : a)) as Parameters<typeof method>,
        );
      },
    },
  };
}
