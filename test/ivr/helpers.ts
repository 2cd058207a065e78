import type { Queryable } from "../../src/db/db.js";
import type { Language } from "../../src/languages/languages.js";
import type { Persona, SimCall, TranscriptEntry } from "../../src/sim/index.js";
import { createTwilioClient, type TwilioClient } from "../../src/twilio/client.js";
import { twilioUrl } from "../../src/twilio/routes.js";
import { BURGERNET, startStack, type Stack, type StackOptions } from "../helpers/stack.js";

export { BURGERNET };
export const MELDKAMER = "+31900884400";

/** The service and the emulator, without the dispatcher: each test places the alert calls itself. */
export function startIvrStack(opts: StackOptions = {}): Promise<Stack> {
  return startStack({ ...opts, dispatch: { autoStart: false, ...opts.dispatch } });
}

export interface SeedAlert {
  region?: string;
  kind?: "suspect" | "vehicle" | "missing_person" | "missing_child" | "other";
  priority?: "normal" | "urgent";
  status?: "dispatching" | "active" | "closed" | "cancelled";
  nl?: string;
  en?: string;
  /** Voice texts (also used as SMS texts) in other languages. */
  texts?: Partial<Record<Language, string>>;
  center?: { lat: number; lon: number };
  expiresInMs?: number;
  closingMessage?: string | null;
  createdAt?: Date;
}

export async function seedAlert(db: Queryable, a: SeedAlert = {}): Promise<string> {
  const center = a.center ?? { lat: 52.3731, lon: 4.8926 };
  const texts = {
    nl: { voice: a.nl ?? "Gezocht: een man met een rode jas.", sms: "Gezocht: man, rode jas." },
    ...(a.en ? { en: { voice: a.en, sms: a.en } } : {}),
    ...Object.fromEntries(Object.entries(a.texts ?? {}).map(([l, t]) => [l, { voice: t, sms: t }])),
  };
  const res = await db.query<{ id: string }>(
    `INSERT INTO alerts (region_code, kind, priority, status, texts, area, center_lat, center_lon,
      channels, expires_at, closing_message, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, ARRAY['voice','sms'],
       now() + make_interval(secs => $9::float8 / 1000), $10, coalesce($11, now()))
     RETURNING id`,
    [
      a.region ?? "RE05",
      a.kind ?? "suspect",
      a.priority ?? "normal",
      a.status ?? "active",
      JSON.stringify(texts),
      JSON.stringify({ type: "circle", center: [center.lon, center.lat], radius: 2000 }),
      center.lat,
      center.lon,
      a.expiresInMs ?? 3_600_000,
      a.closingMessage ?? null,
      a.createdAt ?? null,
    ],
  );
  return res.rows[0].id;
}

export async function seedDelivery(
  db: Queryable,
  d: {
    alertId: string;
    participantId: string;
    phone: string;
    language?: Language;
    channel?: "voice" | "sms";
    purpose?: "alert" | "closing";
    distanceM?: number;
  },
): Promise<number> {
  const res = await db.query<{ id: number }>(
    `INSERT INTO deliveries (alert_id, participant_id, phone, channel, purpose, language, rank, distance_m, status)
     VALUES ($1, $2, $3, $4, $5, $6, 1, $7, 'in_progress') RETURNING id`,
    [
      d.alertId,
      d.participantId,
      d.phone,
      d.channel ?? "voice",
      d.purpose ?? "alert",
      d.language ?? "nl",
      d.distanceM ?? 100,
    ],
  );
  return res.rows[0].id;
}

const clients = new WeakMap<Stack, TwilioClient>();
function clientOf(stack: Stack): TwilioClient {
  let client = clients.get(stack);
  if (!client)
    clients.set(stack, (client = createTwilioClient({ ...stack.config.twilio!, apiUrl: stack.emulator.url })));
  return client;
}

export interface PlacedCall {
  sid: string;
  call: SimCall;
  transcript: readonly TranscriptEntry[];
}

/** Places the alert call the dispatcher would place, and waits for it to end. */
export async function callAlert(
  stack: Stack,
  deliveryId: number,
  phone: string,
  persona: Persona,
  extra: Record<string, string> = {},
): Promise<PlacedCall> {
  stack.emulator.setPersona(phone, persona);
  const twilio = clientOf(stack);
  const call = await twilio.calls.create({
    to: phone,
    from: BURGERNET,
    url: twilioUrl(stack.url, extra.path === "closing" ? "closing" : "alert", { delivery: deliveryId }),
    ...(extra.amd
      ? {
          asyncAmd: "true",
          machineDetection: "DetectMessageEnd",
          asyncAmdStatusCallback: twilioUrl(stack.url, "amd", { delivery: deliveryId }),
        }
      : {}),
  });
  const ended = await stack.emulator.callEnded(call.sid);
  assertPlayable(ended);
  return { sid: call.sid, call: ended, transcript: stack.emulator.transcript(call.sid) };
}

/**
 * Every call the IVR tests place fails where Twilio would warn: a voice it does not have for the language
 * (13511/13321), a speech model that does not hear it (13334/13331). On Twilio the citizen hears a fallback voice.
 */
export function assertPlayable(call: SimCall): void {
  if (call.warnings?.length) {
    throw new Error(`Twilio would warn on this call: ${call.warnings.map((w) => `${w.code} ${w.message}`).join("; ")}`);
  }
}

/** Calls the Burgernet number as this citizen, and waits for the call to end. */
export async function callBurgernet(stack: Stack, from: string, persona: Persona): Promise<PlacedCall> {
  const inbound = stack.emulator.placeInboundCall({ from, to: BURGERNET, persona });
  const call = await inbound.ended;
  assertPlayable(call);
  return { sid: inbound.sid, call, transcript: stack.emulator.transcript(inbound.sid) };
}

/** What the citizen heard, one string per <Say>. */
export function heard(transcript: readonly TranscriptEntry[]): string[] {
  return transcript.flatMap((e) => (e.kind === "say" ? [e.text] : []));
}

export function heardText(transcript: readonly TranscriptEntry[]): string {
  return heard(transcript).join("\n");
}

export function kinds(transcript: readonly TranscriptEntry[]): string[] {
  return transcript.map((e) => e.kind);
}
