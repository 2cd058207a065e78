import twilio from "twilio";
import type { Queryable } from "../../src/db/db.js";
import type { Stack } from "../helpers/stack.js";

export type Params = Record<string, string>;

/** A 34-character SID of this kind, as Twilio spells them: two letters and 32 hex digits. */
export function sid(prefix: "CA" | "SM" | "RE" | "AC", n: number): string {
  return prefix + n.toString(16).padStart(32, "0");
}

const GEO = (p: string, city: string): Params => ({
  [`${p}City`]: city,
  [`${p}Country`]: "NL",
  [`${p}State`]: "",
  [`${p}Zip`]: "",
});

/** Everything Twilio posts about a call to a TwiML URL (its "voice request parameters"), as on a real account. */
export function voiceParams(s: Stack, c: { callSid: string; from: string; to: string; outbound?: boolean }): Params {
  return {
    AccountSid: s.config.twilio!.accountSid,
    ApiVersion: "2010-04-01",
    CallSid: c.callSid,
    CallStatus: "in-progress",
    Called: c.to,
    Caller: c.from,
    Direction: c.outbound === false ? "inbound" : "outbound-api",
    From: c.from,
    To: c.to,
    ...GEO("Called", "AMSTERDAM"),
    ...GEO("Caller", ""),
    ...GEO("From", ""),
    ...GEO("To", "AMSTERDAM"),
  };
}

/** Everything Twilio posts for an SMS to our number. */
export function smsParams(s: Stack, m: { messageSid: string; from: string; to: string; body: string }): Params {
  return {
    AccountSid: s.config.twilio!.accountSid,
    ApiVersion: "2010-04-01",
    Body: m.body,
    From: m.from,
    MessageSid: m.messageSid,
    NumMedia: "0",
    NumSegments: "1",
    SmsMessageSid: m.messageSid,
    SmsSid: m.messageSid,
    SmsStatus: "received",
    To: m.to,
    ...GEO("From", ""),
    ...GEO("To", ""),
  };
}

/** The signature Twilio would put on this request. */
export function signatureOf(s: Stack, path: string, params: Params): string {
  return twilio.getExpectedTwilioSignature(s.config.twilio!.authToken, s.config.publicUrl + path, params);
}

export interface PostOptions {
  /** The captured signature to replay; by default the one Twilio would compute for these parameters. */
  signature?: string;
  headers?: Record<string, string>;
  /** Sent as JSON (a body Twilio never sends) instead of a form. */
  json?: boolean;
  /** The raw form, when it is not the parameters once each (a duplicated field). */
  raw?: string;
}

/** A POST to one of our Twilio webhooks, signed (or replayed with a captured signature). */
export function postTwilio(s: Stack, path: string, params: Params, opts: PostOptions = {}) {
  const signature = opts.signature ?? signatureOf(s, path, params);
  return s.app.inject({
    method: "POST",
    url: path,
    headers: {
      "content-type": opts.json ? "application/json" : "application/x-www-form-urlencoded",
      "x-twilio-signature": signature,
      ...opts.headers,
    },
    payload: opts.json ? JSON.stringify(params) : (opts.raw ?? new URLSearchParams(params).toString()),
  });
}

/**
 * A digest of every table a Twilio webhook can write: equal before and after a request means it wrote nothing
 * (an update of a participant's status shows as well as an insert).
 */
export async function writtenState(db: Queryable): Promise<Record<string, string>> {
  // alert.progress is published on a timer from changes made before (webhooks/progress.ts), not by a request.
  const tables = {
    deliveries: "",
    sightings: "",
    participants: "",
    events: "WHERE t.type <> 'alert.progress'",
    call_events: "",
    ivr_steps: "",
  };
  const out: Record<string, string> = {};
  for (const [t, where] of Object.entries(tables)) {
    const res = await db.query<{ n: string; h: string | null }>(
      `SELECT count(*) AS n, md5(string_agg(t::text, ',' ORDER BY t::text)) AS h FROM ${t} t ${where}`,
    );
    out[t] = `${res.rows[0].n}:${res.rows[0].h ?? ""}`;
  }
  return out;
}
