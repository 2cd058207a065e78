import type { FastifyReply, FastifyRequest } from "fastify";
import { AMD, CALL, CALL_STATUS, DIAL, GATHER, RECORD, SMS_INBOUND, SMS_STATUS } from "./params.js";

/**
 * Every route Twilio calls on this service, by name: its path and the query parameters it reads. Routes are
 * registered from here and every URL handed to Twilio (call and SMS creation, TwiML actions, whispers, callbacks)
 * is built from here, so a path cannot drift between the one who serves it and the one who points Twilio at it.
 */
const CALL_REF = ["delivery", "alert", "general"] as const;

/**
 * `params`: the only body parameter names Twilio sends to this route (params.ts); `sid`: the one it must carry.
 * A request whose query names a delivery must carry that delivery's own SID in `deliverySid` (default `sid`).
 */
const voice = <Q extends readonly string[], P extends readonly string[]>(
  path: `/twilio/${string}`,
  query: Q,
  params: P,
) => ({ path, query, params, sid: "CallSid" }) as const;

export const TWILIO_ROUTES = {
  /** The dispatcher's alert call. */
  alert: voice("/twilio/voice/alert", ["delivery"], CALL),
  /** The closing call of an alert, to those reached. */
  closing: voice("/twilio/voice/closing", ["delivery"], CALL),
  /**
   * Where a closing call goes once its message is read: a human is hung up on, a machine's greeting is waited out
   * (the AMD callback then leaves the message after its beep), for at most Twilio's 30 s of machine detection.
   */
  afterClosing: voice("/twilio/voice/after-closing", ["delivery", "try"], CALL),
  amd: voice("/twilio/voice/amd", ["delivery"], AMD),
  voicemail: voice("/twilio/voice/voicemail", CALL_REF, CALL),
  menu: voice("/twilio/voice/menu", [...CALL_REF, "try"], GATHER),
  /** The answer to "are you nearby now?" that an alert call may open with (issue 25). */
  presence: voice("/twilio/voice/presence", ["delivery"], GATHER),
  tip: voice("/twilio/voice/tip", CALL_REF, GATHER),
  recorded: voice("/twilio/voice/recorded", CALL_REF, RECORD),
  dialed: voice("/twilio/voice/dialed", CALL_REF, DIAL),
  /** The meldkamer's leg of the Dial: its CallSid is the child call's, the delivery's call is its parent. */
  whisper: { ...voice("/twilio/voice/whisper", [...CALL_REF, "parent"], CALL), deliverySid: "ParentCallSid" },
  unsubscribe: voice("/twilio/voice/unsubscribe", CALL_REF, GATHER),
  postcode: voice("/twilio/voice/postcode", [...CALL_REF, "try"], GATHER),
  /** A call to the Burgernet number (the number's voice webhook). */
  inbound: voice("/twilio/voice/inbound", [], CALL),
  pick: voice("/twilio/voice/pick", [...CALL_REF, "try"], GATHER),
  /** Status callbacks answer 204 and no TwiML: left out of the OpenAPI document. */
  callStatus: { ...voice("/twilio/voice/status", ["delivery", "attempt"], CALL_STATUS), hidden: true },
  /** An SMS to the Burgernet number (the number's messaging webhook). */
  smsInbound: { path: "/twilio/sms/inbound", query: [], params: SMS_INBOUND, sid: "MessageSid" },
  smsStatus: {
    path: "/twilio/sms/status",
    query: ["delivery", "attempt"],
    params: SMS_STATUS,
    sid: "MessageSid",
    hidden: true,
  },
} as const satisfies Record<string, TwilioRoute>;

export interface TwilioRoute {
  path: `/twilio/${string}`;
  query: readonly string[];
  params: readonly string[];
  sid: "CallSid" | "MessageSid";
  deliverySid?: "ParentCallSid";
  hidden?: boolean;
}

export type TwilioRouteName = keyof typeof TWILIO_ROUTES;
export type TwilioRouteQuery<N extends TwilioRouteName> = Partial<
  Record<(typeof TWILIO_ROUTES)[N]["query"][number], string | number>
>;

/** A request to one of the routes, as its handler sees it: the query and form parameters, text. */
export type TwilioRequest = FastifyRequest<{
  Querystring: Record<string, string | undefined>;
  Body: Record<string, string>;
}>;
export type TwilioHandler = (req: TwilioRequest, reply: FastifyReply) => Promise<unknown>;
/** One handler per route of the table: a route cannot be left out, nor one added beside the table. */
export type TwilioHandlers = Record<TwilioRouteName, TwilioHandler>;

export function twilioPath(name: TwilioRouteName): string {
  return TWILIO_ROUTES[name].path;
}

/**
 * The absolute URL Twilio is given for a route: PUBLIC_URL + path + query, exactly what Twilio signs and what the
 * signature check rebuilds. Only the route's own query parameters are accepted.
 */
export function twilioUrl<N extends TwilioRouteName>(
  publicUrl: string,
  name: N,
  query: TwilioRouteQuery<N> = {},
): string {
  const allowed = TWILIO_ROUTES[name].query as readonly string[];
  const entries = Object.entries(query).filter((e): e is [string, string | number] => e[1] !== undefined);
  for (const [key] of entries) {
    if (!allowed.includes(key)) throw new Error(`${TWILIO_ROUTES[name].path} takes no "${key}" in its query`);
  }
  const qs = new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString();
  return `${publicUrl}${TWILIO_ROUTES[name].path}${qs ? `?${qs}` : ""}`;
}
