import { assertOwnUnit } from "../access/auth.js";
import type { Principal } from "../access/keys.js";
import { audit } from "../audit/audit.js";
import type { Db } from "../db/db.js";
import { Errors, withDetails } from "../errors.js";
import { isStrictDateTime } from "../http/validation.js";
import { lookupPc4 } from "../geo/pc4.js";
import { maskPhone } from "../participants/phone.js";
import { tipGroups } from "../tips/groups.js";
import { sightingQueries as q, type SightingRow } from "./queries.js";
import type { recordingFetcher } from "./recording.js";

export const recordingPath = (id: string) => `/v1/sightings/${id}/recording`;

export function presentSighting(s: SightingRow) {
  return {
    id: s.id,
    alertId: s.alert_id,
    region: s.region_code,
    source: s.source,
    caller: maskPhone(s.caller_phone),
    digits: s.digits,
    transcript: s.transcript,
    confidence: s.confidence,
    distanceM: s.distance_m,
    createdAt: s.created_at.toISOString(),
    clusterId: s.cluster_id ?? s.id,
    plate: s.plates[0] ?? null,
    plates: s.plates,
    namesAlertPlate: s.names_alert_plate,
    place: s.place_lat === null || s.place_lon === null ? null : { lat: s.place_lat, lon: s.place_lon },
    recording: s.recording_url ? recordingPath(s.id) : null,
    recordingDurationS: s.recording_duration_s,
    callerArea: callerArea(s.caller_postcode),
  };
}

/**
 * Where a tip is put on the operator's map: the centre of the caller's postcode area (PC4, a few thousand
 * addresses), never the address itself, which the operator does not need. Null for a caller with no postcode.
 */
function callerArea(postcode: string | null) {
  const area = postcode ? lookupPc4(postcode.slice(0, 4)) : undefined;
  return area ? { pc4: area.pc4, place: area.place, lat: area.lat, lon: area.lon } : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const cursor = {
  write: (s: SightingRow) => Buffer.from(`${s.created_at.toISOString()}|${s.id}`).toString("base64url"),
  read(text: string | undefined) {
    if (!text) return null;
    const [at, id, ...rest] = Buffer.from(text, "base64url").toString().split("|");
    // Only what write() makes: a time of years 0001..9999 and a UUID; anything else would reach PostgreSQL.
    if (rest.length || !isStrictDateTime(at ?? "") || !UUID.test(id ?? ""))
      throw withDetails(new Errors.Validation("Bad cursor: pass the `next` of the previous page"), [
        { path: "querystring/after" },
      ]);
    return { at: new Date(at), id };
  },
};

/** Tips as operators read them: region-scoped like alerts, every read in the audit log (who, what, when). */
export function createSightings(deps: { db: Db; fetchRecording: ReturnType<typeof recordingFetcher> }) {
  const { db } = deps;

  async function load(id: string, principal: Principal) {
    const s = (await q.get(db, id)).rows[0];
    if (!s) throw new Errors.NotFound("Sighting");
    assertOwnUnit(principal, s.region_code, () => new Errors.NotFound("Sighting"));
    return s;
  }

  return {
    async ofAlert(
      alertId: string,
      principal: Principal,
      page: { limit?: number; after?: string; groupBy?: "cluster" },
    ) {
      const alert = (await q.alertRegion(db, alertId)).rows[0];
      if (!alert) throw new Errors.AlertNotFound();
      assertOwnUnit(principal, alert.region_code, () => new Errors.AlertNotFound());
      const limit = page.limit ?? 100;
      if (page.groupBy === "cluster") {
        if (page.after)
          throw withDetails(new Errors.Validation("Groups come in one page: leave out `after` with groupBy"), [
            { path: "querystring/after" },
          ]);
        const { groups, newestIds } = await tipGroups(db, alertId, limit, presentSighting);
        await audit(db, {
          actor: principal.keyId,
          action: "sighting.listed",
          subjectType: "alert",
          subjectId: alertId,
          details: { sightings: newestIds, groupBy: "cluster" },
        });
        return { groups, next: null };
      }
      const rows = (await q.ofAlert(db, alertId, cursor.read(page.after), limit)).rows;
      await audit(db, {
        actor: principal.keyId,
        action: "sighting.listed",
        subjectType: "alert",
        subjectId: alertId,
        details: { sightings: rows.map((r) => r.id) },
      });
      return { sightings: rows.map(presentSighting), next: rows.length === limit ? cursor.write(rows.at(-1)!) : null };
    },

    async get(id: string, principal: Principal) {
      const s = await load(id, principal);
      await audit(db, { actor: principal.keyId, action: "sighting.read", subjectType: "sighting", subjectId: id });
      return presentSighting(s);
    },

    async recording(id: string, principal: Principal) {
      const s = await load(id, principal);
      if (!s.recording_url) throw new Errors.NotFound("Recording");
      const media = await deps.fetchRecording(s.recording_url);
      await audit(db, {
        actor: principal.keyId,
        action: "sighting.recording_read",
        subjectType: "sighting",
        subjectId: id,
      });
      return media;
    },
  };
}

export type Sightings = ReturnType<typeof createSightings>;
