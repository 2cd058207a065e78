import { api } from "./api.js";
import { formatTime, h } from "./dom.js";
import type { LiveEvent } from "./live.js";
import { t } from "./i18n.js";

export interface Tip {
  id: string;
  source: string;
  digits: string | null;
  transcript: string | null;
  confidence: number | null;
  distanceM: number | null;
  createdAt: string;
  /** The API path of the audio, or null. */
  recording: string | null;
  /** The centre of the caller's postcode area (from the API; a live event has none until the list is read). */
  callerArea?: { pc4: string; place: string; lat: number; lon: number } | null;
  /** Its group of related tips, the plates it names, and its caller's coarse place (tip-groups.ts). */
  clusterId?: string;
  plates?: string[];
  namesAlertPlate?: boolean;
  place?: { lat: number; lon: number } | null;
}

/** A tip as GET /v1/alerts/{id}/sightings lists it. */
export type SightingOut = Tip;

/** The same tip from a live `sighting.created` event. */
export function tipFromEvent(e: LiveEvent): Tip {
  const d = e.data;
  return {
    id: String(d.sightingId),
    source: String(d.source ?? ""),
    digits: (d.digits as string | null) ?? null,
    transcript: (d.transcript as string | null) ?? null,
    confidence: (d.confidence as number | null) ?? null,
    distanceM: (d.distanceM as number | null) ?? null,
    createdAt: (d.createdAt as string) ?? e.timestamp,
    recording: (d.recordingUrl as string | null) ?? null,
    clusterId: (d.clusterId as string | undefined) ?? undefined,
    plates: (d.plates as string[] | undefined) ?? [],
  };
}

/** What was said, how sure the recogniser was, how far away, when; and the recording where there is one. */
export function tipItem(tip: Tip) {
  const transcript = tip.transcript ?? (tip.digits ? `[${tip.digits}]` : "—");
  const confidence = typeof tip.confidence === "number" ? `${Math.round(tip.confidence * 100)}% ${t.confidence}` : null;
  const distance = typeof tip.distanceM === "number" ? `${t.distance} ${Math.round(tip.distanceM)} m` : null;
  const meta = [formatTime(tip.createdAt), tip.source, confidence, distance].filter(Boolean).join(" · ");
  const li = h(
    "li",
    { class: "tip", "data-sighting": tip.id, "data-created": tip.createdAt },
    h("p", { class: "transcript" }, transcript),
    h("p", { class: "meta" }, meta),
  );
  // Only our own API's path: the console never follows a link off the origin.
  if (tip.recording?.startsWith("/v1/")) li.append(recordingButton(tip.recording));
  return li;
}

/** An <audio src> could not send the key: fetch the audio with it and play the blob. */
function recordingButton(path: string) {
  const btn = h("button", { type: "button", class: "secondary small", name: "play" }, `▶ ${t.recording}`);
  btn.addEventListener("click", async () => {
    btn.disabled = true;
    try {
      const blob = await api.blob(path);
      const audio = h("audio", { controls: true, autoplay: true, "aria-label": t.recording });
      audio.src = URL.createObjectURL(blob);
      btn.replaceWith(audio);
    } catch (err) {
      btn.textContent = `${t.recording}: ${(err as Error).message}`;
    }
  });
  return btn;
}
