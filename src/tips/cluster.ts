import type { Queryable } from "../db/db.js";
import { publishEvent } from "../events/publish.js";
import { descriptorsIn } from "./lexicon.js";
import { platesIn } from "./plates.js";
import { tipQueries as q, type ClusterRow } from "./queries.js";
import { clusterFor, coarsePlace, type Place, type TipFeatures } from "./related.js";

export interface NewTip {
  id: string;
  alertId: string | null;
  regionCode: string;
  participantId: string | null;
  transcript: string | null;
  createdAt: Date;
}

/**
 * Every string in the alert's texts ({ nl: { voice, sms }, … }): where the alert names its own plate, typed by the
 * operator or filled in from a template's plate field (templates/).
 */
function textsOf(value: unknown): string[] {
  // A template's plate is spelled in voice texts through SSML (<say-as …>12-ABC-3</say-as>): read it as text.
  if (typeof value === "string") return [value.replace(/<[^>]*>/g, " ")];
  if (value && typeof value === "object") return Object.values(value).flatMap(textsOf);
  return [];
}

const featuresOf = (r: ClusterRow): TipFeatures => ({
  id: r.id,
  clusterId: r.cluster_id,
  createdAt: r.created_at,
  plates: r.plates,
  descriptors: r.descriptors,
  place: r.place_lat === null || r.place_lon === null ? null : { lat: r.place_lat, lon: r.place_lon },
});

/**
 * Reads the plates and descriptors of a tip just stored, places it, and puts it in a cluster with the alert's
 * related earlier tips, in the transaction that stores it. A tip that joins a group publishes `sighting.clustered`.
 */
export async function clusterTip(tx: Queryable, tip: NewTip): Promise<{ clusterId: string; plates: string[] }> {
  const plates = platesIn(tip.transcript);
  const descriptors = descriptorsIn(tip.transcript);
  if (!tip.alertId) {
    await q.setFeatures(tx, tip.id, {
      clusterId: tip.id,
      plates,
      namesAlertPlate: false,
      descriptors,
      lat: null,
      lon: null,
    });
    return { clusterId: tip.id, plates };
  }
  await q.lockAlert(tx, tip.alertId);
  const alert = (await q.alert(tx, tip.alertId)).rows[0];
  const alertPlates = textsOf(alert.texts).flatMap(platesIn);
  let place: Place | null = null;
  if (tip.participantId) {
    const at = (await q.targetedLocation(tx, tip.participantId, alert.center_lat, alert.center_lon)).rows[0];
    if (at) place = coarsePlace(at.lat, at.lon);
  }
  const earlier = (await q.earlier(tx, tip.alertId, tip.id)).rows.map(featuresOf);
  const { clusterId, merged, reasons } = clusterFor(
    { id: tip.id, createdAt: tip.createdAt, plates, descriptors, place },
    earlier,
  );
  const namesAlertPlate = plates.some((p) => alertPlates.includes(p));
  await q.setFeatures(tx, tip.id, {
    clusterId,
    plates,
    namesAlertPlate,
    descriptors,
    lat: place?.lat ?? null,
    lon: place?.lon ?? null,
  });
  if (merged.length) await q.merge(tx, tip.alertId, merged, clusterId);
  if (clusterId === tip.id) return { clusterId, plates };
  const group = (await q.clusterSummary(tx, tip.alertId, clusterId)).rows[0];
  await publishEvent(tx, {
    type: "sighting.clustered",
    region: tip.regionCode,
    alertId: tip.alertId,
    data: {
      alertId: tip.alertId,
      clusterId,
      sightingId: tip.id,
      count: group.count,
      plates: group.plates,
      namesAlertPlate: group.names_alert_plate,
      reasons,
      mergedClusterIds: merged,
    },
    at: tip.createdAt,
  });
  return { clusterId, plates };
}
