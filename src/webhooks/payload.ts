/** An events row as the webhook sender and the live feed read it. */
export interface EventRow {
  id: string;
  seq: number;
  type: string;
  region_code: string;
  alert_id: string | null;
  data: Record<string, unknown>;
  created_at: Date;
}

/** The stable Standard Webhooks message id: the same for every attempt, replay and live message. */
export function webhookId(eventId: string): string {
  return `evt_${eventId}`;
}

/** The body `{ type, timestamp, data }`; region and alert are added to data so receivers need not guess. */
export function eventBody(e: EventRow): { type: string; timestamp: string; data: Record<string, unknown> } {
  return {
    type: e.type,
    timestamp: e.created_at.toISOString(),
    data: { region: e.region_code, ...(e.alert_id ? { alertId: e.alert_id } : {}), ...e.data },
  };
}
