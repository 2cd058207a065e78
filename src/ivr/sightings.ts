import type { Db, Queryable } from "../db/db.js";
import { publishEvent } from "../events/publish.js";
import { haversineMeters } from "../geo/geometry.js";
import { recordingPath } from "../sightings/service.js";
import { clusterTip } from "../tips/cluster.js";
import { ivrQueries } from "./queries.js";

export interface NewSighting {
  alertId: string | null;
  deliveryId: number | null;
  regionCode: string;
  source: "voice" | "sms" | "inbound";
  participantId: string | null;
  callerPhone: string | null;
  callSid?: string | null;
  digits?: string | null;
  transcript?: string | null;
  confidence?: number | null;
  recordingUrl?: string | null;
  recordingDurationS?: number | null;
  distanceM?: number | null;
  /** Twilio's retries of the same step carry the same key and write nothing the second time. */
  idempotencyKey: string | null;
}

/** The caller's nearest registered location to the incident, in whole metres. */
export async function nearestDistance(
  db: Queryable,
  participantId: string | null,
  lat: number,
  lon: number,
): Promise<number | null> {
  if (!participantId) return null;
  const { rows } = await ivrQueries.locations(db, participantId);
  if (!rows.length) return null;
  return Math.round(Math.min(...rows.map((l) => haversineMeters(l.lat, l.lon, lat, lon))));
}

/**
 * Stores a tip and its `sighting.created` event in one transaction. It returns only after the commit, so the
 * TwiML that thanks the caller is never sent for a tip that is not stored.
 */
export async function recordSighting(db: Db, s: NewSighting): Promise<{ id: string; created: boolean }> {
  return db.withTransaction(async (tx) => {
    const inserted = await tx.query<{ id: string; created_at: Date }>(
      `INSERT INTO sightings (alert_id, delivery_id, region_code, source, participant_id, caller_phone, call_sid,
                              digits, transcript, confidence, recording_url, recording_duration_s, distance_m,
                              idempotency_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, created_at`,
      [
        s.alertId,
        s.deliveryId,
        s.regionCode,
        s.source,
        s.participantId,
        s.callerPhone,
        s.callSid ?? null,
        s.digits ?? null,
        s.transcript ?? null,
        s.confidence ?? null,
        s.recordingUrl ?? null,
        s.recordingDurationS ?? null,
        s.distanceM ?? null,
        s.idempotencyKey,
      ],
    );
    if (!inserted.rows.length) {
      const existing = await tx.query<{ id: string }>("SELECT id FROM sightings WHERE idempotency_key = $1", [
        s.idempotencyKey,
      ]);
      return { id: existing.rows[0].id, created: false };
    }
    const { id, created_at } = inserted.rows[0];
    const tip = { id, alertId: s.alertId, regionCode: s.regionCode, participantId: s.participantId };
    const { clusterId, plates } = await clusterTip(tx, {
      ...tip,
      transcript: s.transcript ?? null,
      createdAt: created_at,
    });
    await publishEvent(tx, {
      type: "sighting.created",
      region: s.regionCode,
      alertId: s.alertId,
      data: {
        sightingId: id,
        alertId: s.alertId,
        deliveryId: s.deliveryId,
        source: s.source,
        callerPhone: s.callerPhone,
        digits: s.digits ?? null,
        transcript: s.transcript ?? null,
        confidence: s.confidence ?? null,
        // Operators fetch the audio through the service with their own key, never from the carrier.
        recordingUrl: s.recordingUrl ? recordingPath(id) : null,
        recordingDurationS: s.recordingDurationS ?? null,
        distanceM: s.distanceM ?? null,
        clusterId,
        plates,
        createdAt: created_at.toISOString(),
      },
      at: created_at,
    });
    return { id, created: true };
  });
}
