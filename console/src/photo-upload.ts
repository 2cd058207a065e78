import { api, ApiError, type Alert } from "./api.js";
import { h, uid } from "./dom.js";
import { lang } from "./i18n.js";

interface StoredPhoto {
  width: number;
  height: number;
  bytes: number;
}

const nl = {
  title: "Foto",
  label: "Foto bij de sms (JPEG of PNG, tot 5 MB)",
  uploading: "Foto wordt opgeslagen…",
  stored: (p: StoredPhoto) => `Foto opgeslagen: ${p.width} × ${p.height} px, ${Math.ceil(p.bytes / 1024)} kB.`,
  refused: "Foto geweigerd",
};
const en: typeof nl = {
  title: "Photo",
  label: "Photo for the SMS (JPEG or PNG, up to 5 MB)",
  uploading: "Storing the photo…",
  stored: (p) => `Photo stored: ${p.width} × ${p.height} px, ${Math.ceil(p.bytes / 1024)} kB.`,
  refused: "Photo refused",
};
const s = () => (lang === "en" ? en : nl);

/**
 * The photo of a draft or live alert (PUT /v1/alerts/{id}/photo): the file goes as it is, the service decodes,
 * strips and resizes it; the operator sees the stored size, or the service's reason for refusing it.
 */
export function photoUpload() {
  const id = uid("photo");
  let alertId: string | null = null;
  const input = h("input", { id, type: "file", accept: "image/jpeg,image/png", name: "photo" });
  const result = h("p", { class: "photo-result", role: "status", "aria-live": "polite" });
  const el = h("section", { class: "photo-upload", hidden: true }, h("h3", {}, s().title));
  el.append(h("label", { for: id }, s().label), input, result);

  input.addEventListener("change", async () => {
    const file = input.files?.[0];
    if (!file || !alertId) return;
    result.className = "photo-result";
    result.textContent = s().uploading;
    try {
      const stored = await api.putFile<StoredPhoto>(`/v1/alerts/${alertId}/photo`, file);
      result.textContent = s().stored(stored);
    } catch (e) {
      result.className = "photo-result error";
      result.textContent = `${s().refused}: ${e instanceof ApiError ? e.message : String(e)}`;
    } finally {
      input.value = "";
    }
  });

  return {
    el,
    /** Shown for a draft or live alert only; a different alert starts without the last one's result. */
    show(a: Alert, editable: boolean) {
      el.hidden = !editable;
      if (a.id !== alertId) result.textContent = "";
      alertId = a.id;
    },
  };
}
