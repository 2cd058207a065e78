import type { Queryable } from "../db/db.js";
import { maskPhonesDeep } from "../participants/mask.js";

export const EVENT_TYPES = [
  "alert.created",
  "alert.progress",
  "alert.cancelled",
  "alert.closed",
  "alert.updated",
  "alert.extended",
  "sighting.created",
  "sighting.clustered",
  "call.connected",
  "participant.unsubscribed",
  "dispatch.halted",
  "dispatch.resumed",
  "conversation.message",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface OperatorEvent {
  type: EventType;
  region: string;
  alertId?: string | null;
  data: Record<string, unknown>;
  at?: Date;
}

export const EVENTS_CHANNEL = "burgernet_events";

/**
 * Records an event in the outbox. Call it inside the transaction that makes the change, so that the event exists
 * if and only if the change does. NOTIFY is transactional too: listeners hear of it only after the commit.
 * Webhooks, the live feed and replays all read this payload, so its phone numbers are masked here, once.
 */
export async function publishEvent(tx: Queryable, e: OperatorEvent): Promise<string> {
  const res = await tx.query<{ id: string; seq: number }>(
    // Every event of a drill says so (drill: true), whichever feature publishes it.
    `INSERT INTO events (type, region_code, alert_id, data, created_at)
     VALUES ($1, $2, $3, $4::jsonb || CASE WHEN EXISTS (SELECT 1 FROM alerts WHERE id = $3 AND mode = 'drill')
                                           THEN '{"drill": true}'::jsonb ELSE '{}'::jsonb END,
             coalesce($5, now())) RETURNING id, seq`,
    [e.type, e.region, e.alertId ?? null, JSON.stringify(maskPhonesDeep(e.data)), e.at ?? null],
  );
  const { id, seq } = res.rows[0];
  await tx.query("SELECT pg_notify($1, $2)", [EVENTS_CHANNEL, JSON.stringify({ id, seq, region: e.region })]);
  return id;
}
