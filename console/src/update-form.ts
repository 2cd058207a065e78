import { api, type Alert } from "./api.js";
import { h, uid } from "./dom.js";
import { clearErrors, errorSlot, showErrors } from "./errors.js";
import { t } from "./i18n.js";

interface FollowUp {
  seq: number;
  notified: number;
}

/**
 * A follow-up (POST /v1/alerts/{id}/updates): new Dutch texts for everyone not yet reached and, when ticked, the
 * update once to everyone already reached. One Idempotency-Key per form, so a double click sends it once.
 */
export function updateForm(alert: Alert, done: (a: Alert) => void): HTMLElement {
  const ids = { voice: uid("update-voice"), sms: uid("update-sms"), reached: uid("update-reached") };
  const current = alert.texts.nl;
  const voice = h("textarea", { id: ids.voice, name: "update-voice", rows: 2, maxlength: 1000, required: true });
  const sms = h("textarea", { id: ids.sms, name: "update-sms", rows: 2, maxlength: 480, required: true });
  voice.value = current?.voice ?? "";
  sms.value = current?.sms ?? "";
  const reached = h("input", { id: ids.reached, name: "update-reached", type: "checkbox", checked: true });
  const sent = h("p", { class: "note", role: "status" });
  const key = crypto.randomUUID?.() ?? `${Date.now()}-${Math.random()}`;
  const form = h(
    "form",
    { class: "update-form", novalidate: true, "aria-label": t.followUp },
    h("div", { class: "field" }, h("label", { for: ids.voice }, t.followUpVoice), voice, errorSlot("texts")),
    h("div", { class: "field" }, h("label", { for: ids.sms }, t.followUpSms), sms),
    h("div", { class: "field" }, reached, h("label", { for: ids.reached }, t.followUpReached)),
    errorSlot("form"),
    h("button", { type: "submit", name: "follow-up" }, t.followUpSend),
    sent,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    try {
      const body = {
        texts: { nl: { voice: voice.value, sms: sms.value } },
        notify: reached.checked ? "reached" : "none",
      };
      const u = await api.post<FollowUp>(`/v1/alerts/${alert.id}/updates`, body, { "idempotency-key": key });
      sent.textContent = `${t.followUpSent} ${u.notified}`;
      done(await api.get<Alert>(`/v1/alerts/${alert.id}`));
    } catch (err) {
      showErrors(form, err);
    }
  });
  return h("details", { class: "update-box" }, h("summary", {}, t.followUp), form);
}
