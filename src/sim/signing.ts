import { createHmac } from "node:crypto";

export type FormParams = Readonly<Record<string, string | readonly string[]>>;

/**
 * X-Twilio-Signature: HMAC-SHA1 (base64), keyed with the auth token, over the exact URL requested
 * followed by every POST parameter as name+value, sorted by name (repeated values sorted, deduplicated).
 */
export function twilioSignature(authToken: string, url: string, params: FormParams = {}): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    if (typeof value === "string") {
      data += name + value;
    } else {
      for (const v of [...new Set(value)].sort()) data += name + v;
    }
  }
  return createHmac("sha1", authToken).update(data, "utf8").digest("base64");
}
