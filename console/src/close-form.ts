import { api, type Alert } from "./api.js";
import { h, uid } from "./dom.js";
import { clearErrors, errorSlot, showErrors } from "./errors.js";
import { t } from "./i18n.js";

/** Cancel (asks once more), or close with an outcome and a closing message to everyone reached. */
export function closeForm(alert: Alert, done: (a: Alert) => void): HTMLElement[] {
  const cancelBox = h("div", { class: "cancel-box" });
  const cancelBtn = h("button", { type: "button", class: "danger", name: "cancel" }, t.cancel);
  const confirmBtn = h(
    "button",
    { type: "button", class: "danger", name: "confirm-cancel", hidden: true },
    `${t.cancel} ✓`,
  );
  const cancelErr = errorSlot("form");
  cancelBtn.addEventListener("click", () => {
    confirmBtn.hidden = false;
    confirmBtn.textContent = t.confirmCancel;
    confirmBtn.focus();
  });
  confirmBtn.addEventListener("click", async () => {
    clearErrors(cancelBox);
    confirmBtn.disabled = true;
    try {
      done(await api.post<Alert>(`/v1/alerts/${alert.id}/cancel`));
    } catch (err) {
      showErrors(cancelBox, err);
      confirmBtn.disabled = false;
    }
  });
  cancelBox.append(cancelBtn, confirmBtn, cancelErr);
  if (alert.status === "draft") return [cancelBox];

  const ids = { outcome: uid("outcome"), message: uid("closing") };
  const outcome = h(
    "select",
    { id: ids.outcome, name: "outcome", "aria-describedby": "err-outcome" },
    ...Object.entries(t.outcomes).map(([v, label]) => h("option", { value: v }, label)),
  );
  const message = h("textarea", {
    id: ids.message,
    name: "closing-message",
    rows: 2,
    maxlength: 480,
    required: true,
    "aria-describedby": "err-message",
  });
  const form = h(
    "form",
    { class: "close-form", novalidate: true, "aria-label": t.close },
    h("div", { class: "field" }, h("label", { for: ids.outcome }, t.outcome), outcome, errorSlot("outcome")),
    h("div", { class: "field" }, h("label", { for: ids.message }, t.closingMessage), message, errorSlot("message")),
    errorSlot("form"),
    h("button", { type: "submit", name: "close" }, t.closeSend),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    try {
      done(await api.post<Alert>(`/v1/alerts/${alert.id}/close`, { outcome: outcome.value, message: message.value }));
    } catch (err) {
      showErrors(form, err);
    }
  });
  // Folded by default, so the tips stay in view on a 768-pixel screen.
  return [cancelBox, h("details", { class: "close-box" }, h("summary", {}, t.close), form)];
}
