import { ApiError } from "./api.js";
import { clear, h } from "./dom.js";

/** Turns an API error's `details.path` (e.g. `body/texts/nl/sms`, `area/coordinates/0`) into a form slot name. */
export function slotOf(path: string | undefined): string {
  const parts = (path ?? "").replace(/^\/+/, "").split("/").filter(Boolean);
  if (parts[0] === "body") parts.shift();
  if (parts[0] === "texts" && parts.length >= 3) return `texts-${parts[1]}-${parts[2]}`;
  if (parts[0] === "template") return parts[1] === "fields" && parts[2] ? `template-${parts[2]}` : "template";
  if (["area", "channels", "kind", "priority", "outcome", "message"].includes(parts[0])) return parts[0];
  return "form";
}

/** Every (slot, message) pair an API error carries; errors without a path go to the form as a whole. */
export function errorsBySlot(err: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (slot: string, msg: string) => out.set(slot, [...(out.get(slot) ?? []), msg]);
  if (!(err instanceof ApiError)) {
    add("form", err instanceof Error ? err.message : String(err));
    return out;
  }
  const d = err.details;
  if (Array.isArray(d) && d.length) {
    for (const item of d as { path?: string; message?: string }[])
      add(slotOf(item.path), `${item.message ?? err.message} (${err.code})`);
  } else {
    const path = d && typeof d === "object" ? (d as { path?: string }).path : undefined;
    add(slotOf(path), `${err.message} (${err.code})`);
  }
  return out;
}

/** A message slot next to a field, announced to screen readers when it changes. */
export function errorSlot(name: string) {
  const el = h("p", { class: "field-error", id: `err-${name}`, role: "alert", "data-slot": name, hidden: true });
  return el;
}

export function showErrors(root: HTMLElement, err: unknown) {
  clearErrors(root);
  const slots = errorsBySlot(err);
  for (const [slot, messages] of slots) {
    const el =
      root.querySelector<HTMLElement>(`[data-slot="${slot}"]`) ?? root.querySelector<HTMLElement>('[data-slot="form"]');
    if (!el) continue;
    clear(el, messages.join(" · "));
    el.hidden = false;
    // An error inside a folded section (the English texts) must not stay out of sight.
    for (let d = el.closest("details"); d; d = d.parentElement?.closest("details") ?? null) d.open = true;
    const field = root.querySelector<HTMLElement>(`[aria-describedby~="err-${slot}"]`);
    field?.setAttribute("aria-invalid", "true");
  }
  root.querySelector<HTMLElement>(".field-error:not([hidden])")?.scrollIntoView({ block: "nearest" });
}

export function clearErrors(root: HTMLElement) {
  root.querySelectorAll<HTMLElement>(".field-error").forEach((el) => {
    el.hidden = true;
    el.textContent = "";
  });
  root.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
}
