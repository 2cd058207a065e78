import { stdSerializers, type LoggerOptions } from "pino";
import { maskPhonesInText } from "./participants/mask.js";

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

/** Strings anywhere in a log line lose their phone numbers; errors are left whole for the serializer below. */
function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return maskPhonesInText(value);
  if (depth > 6 || value === null || typeof value !== "object" || value instanceof Error || value instanceof Date)
    return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrub(v, depth + 1);
  return out;
}

/**
 * The carrier names the number in its own error texts ("The 'To' number +316… is not a valid phone number") and
 * PostgreSQL in `detail` ("Key (phone)=(+316…) already exists"): message, stack, detail and every other field of an
 * error are masked, whoever logs it.
 */
export function errSerializer(err: Error): unknown {
  return scrub(stdSerializers.err(err));
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redactPaths, censor: "[redacted]" },
    serializers: { err: errSerializer, error: errSerializer },
    formatters: { log: (object) => scrub(object) as Record<string, unknown> },
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
