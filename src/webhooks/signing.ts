import { createHmac, randomBytes } from "node:crypto";

const PREFIX = "whsec_";

/** `whsec_` + base64 of 32 random bytes, the form Standard Webhooks receivers expect. */
export function generateSecret(): string {
  return PREFIX + randomBytes(32).toString("base64");
}

function secretKey(secret: string): Buffer {
  const raw = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  const key = Buffer.from(raw, "base64");
  if (key.length === 0) throw new Error("empty webhook secret");
  return key;
}

/** `v1,<base64 HMAC-SHA256 of id.timestamp.body>` keyed with the decoded secret. */
export function sign(secret: string, id: string, timestampSeconds: number | string, body: string): string {
  const mac = createHmac("sha256", secretKey(secret)).update(`${id}.${timestampSeconds}.${body}`).digest("base64");
  return `v1,${mac}`;
}

/** During a rotation both secrets sign, space-separated, so receivers holding either one accept. */
export function signatureHeader(secrets: string[], id: string, timestampSeconds: number, body: string): string {
  return secrets.map((s) => sign(s, id, timestampSeconds, body)).join(" ");
}

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

export function signedHeaders(secrets: string[], id: string, at: Date, body: string): SignedHeaders {
  const ts = Math.floor(at.getTime() / 1000);
  return {
    "webhook-id": id,
    "webhook-timestamp": String(ts),
    "webhook-signature": signatureHeader(secrets, id, ts, body),
  };
}
