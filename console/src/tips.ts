import { api } from "./api.js";
import { formatTime, h } from "./dom.js";
import type { LiveEvent } from "./live.js";
import { t } from "./i18n.js";

/** A tip as the operator needs it: what was said, how sure the recogniser was, how far away, when. */
export function tipItem(e: LiveEvent) {
  const d = e.data;
  const transcript = (d.transcript as string | null) ?? (d.digits ? `[${d.digits}]` : "—");
  const confidence = typeof d.confidence === "number" ? `${Math.round(d.confidence * 100)}% ${t.confidence}` : null;
  const distance = typeof d.distanceM === "number" ? `${t.distance} ${Math.round(d.distanceM)} m` : null;
  const meta = [formatTime((d.createdAt as string) ?? e.timestamp), String(d.source ?? ""), confidence, distance]
    .filter(Boolean)
    .join(" · ");
  const li = h(
    "li",
    { class: "tip", "data-sighting": String(d.sightingId ?? "") },
    h("p", { class: "transcript" }, transcript),
    h("p", { class: "meta" }, meta),
  );
  if (d.recordingUrl && d.sightingId) li.append(recordingButton(String(d.sightingId)));
  return li;
}

/** Plays GET /v1/sightings/{id}/recording, fetched with the key (an <audio src> could not send it). */
function recordingButton(sightingId: string) {
  const btn = h("button", { type: "button", class: "secondary small" }, `▶ ${t.recording}`);
  btn.addEventListener("click", async () => {
    btn.disabled = true;
    try {
      const blob = await api.blob(`/v1/sightings/${encodeURIComponent(sightingId)}/recording`);
      const audio = h("audio", { controls: true, autoplay: true });
      audio.src = URL.createObjectURL(blob);
      btn.replaceWith(audio);
    } catch (err) {
      btn.textContent = `${t.recording}: ${(err as Error).message}`;
    }
  });
  return btn;
}
