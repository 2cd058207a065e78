/**
 * Every route Twilio calls on this service, by name: its path and the query parameters it reads. Routes are
 * registered from here and every URL handed to Twilio (call and SMS creation, TwiML actions, whispers, callbacks)
 * is built from here, so a path cannot drift between the one who serves it and the one who points Twilio at it.
 */
const CALL_REF = ["delivery", "alert", "general"] as const;

export const TWILIO_ROUTES = {
  /** The dispatcher's alert call. */
  alert: { path: "/twilio/voice/alert", query: ["delivery"] },
  /** The closing call of an alert, to those reached. */
  closing: { path: "/twilio/voice/closing", query: ["delivery"] },
  amd: { path: "/twilio/voice/amd", query: ["delivery"] },
  voicemail: { path: "/twilio/voice/voicemail", query: CALL_REF },
  menu: { path: "/twilio/voice/menu", query: [...CALL_REF, "try"] },
  tip: { path: "/twilio/voice/tip", query: CALL_REF },
  recorded: { path: "/twilio/voice/recorded", query: CALL_REF },
  dialed: { path: "/twilio/voice/dialed", query: CALL_REF },
  whisper: { path: "/twilio/voice/whisper", query: [...CALL_REF, "parent"] },
  unsubscribe: { path: "/twilio/voice/unsubscribe", query: CALL_REF },
  postcode: { path: "/twilio/voice/postcode", query: [...CALL_REF, "try"] },
  /** A call to the Burgernet number (the number's voice webhook). */
  inbound: { path: "/twilio/voice/inbound", query: [] },
  pick: { path: "/twilio/voice/pick", query: [...CALL_REF, "try"] },
  callStatus: { path: "/twilio/voice/status", query: ["delivery", "attempt"] },
  /** An SMS to the Burgernet number (the number's messaging webhook). */
  smsInbound: { path: "/twilio/sms/inbound", query: [] },
  smsStatus: { path: "/twilio/sms/status", query: ["delivery", "attempt"] },
} as const satisfies Record<string, { path: `/twilio/${string}`; query: readonly string[] }>;

export type TwilioRouteName = keyof typeof TWILIO_ROUTES;
export type TwilioRouteQuery<N extends TwilioRouteName> = Partial<
  Record<(typeof TWILIO_ROUTES)[N]["query"][number], string | number>
>;

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
