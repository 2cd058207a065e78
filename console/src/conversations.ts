import { api } from "./api.js";
import { clear, formatTime, h } from "./dom.js";
import { lang } from "./i18n.js";
import type { LiveEvent } from "./live.js";

/** The panel's own words (issue 25), so that the shared dictionary stays as it is. */
const WORDS = {
  nl: {
    presence: "In de buurt?",
    near: "ja",
    away: "nee",
    unknown: "geen antwoord",
    textLine: "Tekstlijn (doven en slechthorenden)",
    none: "Nog geen berichten.",
    reply: "Antwoord per sms",
    send: "Versturen",
    ended: "Afgelopen met de melding",
    citizen: "Melder",
    operator: "Meldkamer",
  },
  en: {
    presence: "Nearby?",
    near: "yes",
    away: "no",
    unknown: "no answer",
    textLine: "Text line (deaf and hard of hearing)",
    none: "No messages yet.",
    reply: "Reply by SMS",
    send: "Send",
    ended: "Ended with the alert",
    citizen: "Citizen",
    operator: "Control room",
  },
};

interface Message {
  id: string;
  direction: "in" | "out";
  text: string;
  createdAt: string;
}
interface Conversation {
  id: string;
  phone: string | null;
  open: boolean;
  messages: Message[];
}
interface AlertFigures {
  id: string;
  presenceCheck?: boolean;
  presence?: { near: number; away: number; unknown: number };
}

/** Answers to "are you nearby now?" and the text line of the alert being watched: read, and answered by SMS. */
export function conversationsPanel() {
  const w = () => WORDS[lang];
  const presence = h("p", { class: "presence hint" });
  const list = h("ol", { class: "conversations", "aria-live": "polite" });
  const title = h("h3", {});
  const el = h("section", { class: "text-line" }, presence, title, list);
  let alertId: string | null = null;
  const drafts = new Map<string, string>();

  function messageItem(m: Message) {
    const who = m.direction === "in" ? w().citizen : w().operator;
    return h(
      "li",
      { class: `message message-${m.direction}`, "data-message": m.id },
      h("p", { class: "meta" }, `${who} · ${formatTime(m.createdAt)}`),
      h("p", { class: "text" }, m.text),
    );
  }

  function replyForm(c: Conversation) {
    const input = h("textarea", { name: "reply", rows: 2, maxlength: 400, "aria-label": w().reply });
    input.value = drafts.get(c.id) ?? "";
    input.addEventListener("input", () => drafts.set(c.id, input.value));
    const error = h("p", { class: "field-error", role: "alert", hidden: true });
    const form = h(
      "form",
      { class: "reply" },
      input,
      h("button", { type: "submit", name: "send-reply" }, w().send),
      error,
    );
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (!input.value.trim() || !alertId) return;
      try {
        await api.post(`/v1/alerts/${alertId}/conversations/${c.id}/messages`, { text: input.value.trim() });
        drafts.delete(c.id);
        await load();
      } catch (err) {
        error.hidden = false;
        error.textContent = (err as Error).message;
      }
    });
    return form;
  }

  function render(conversations: Conversation[]) {
    title.textContent = w().textLine;
    if (!conversations.length) return clear(list, h("li", { class: "hint" }, w().none));
    clear(
      list,
      ...conversations.map((c) =>
        h(
          "li",
          { class: "conversation", "data-conversation": c.id },
          h("p", { class: "meta" }, c.phone ?? ""),
          h("ol", { class: "messages" }, ...c.messages.map(messageItem)),
          c.open ? replyForm(c) : h("p", { class: "hint" }, w().ended),
        ),
      ),
    );
  }

  async function load() {
    if (!alertId) return;
    const id = alertId;
    const conversations = await api.get<Conversation[]>(`/v1/alerts/${id}/conversations`);
    if (id !== alertId) return;
    // A reply being typed survives the refresh: its text is kept in drafts, its focus given back.
    const typing = document.activeElement?.closest<HTMLElement>(".conversation")?.dataset.conversation;
    const wasTyping = document.activeElement instanceof HTMLTextAreaElement;
    render(conversations);
    if (typing && wasTyping) el.querySelector<HTMLTextAreaElement>(`[data-conversation="${typing}"] textarea`)?.focus();
  }

  return {
    el,
    /** The alert shown changed or was read again. */
    show(a: AlertFigures) {
      const p = a.presence;
      presence.hidden = !a.presenceCheck;
      const { presence: asked, near, away, unknown } = w();
      if (p) presence.textContent = `${asked} ${near} ${p.near} · ${away} ${p.away} · ${unknown} ${p.unknown}`;
      if (a.id !== alertId) {
        alertId = a.id;
        drafts.clear();
        void load().catch(() => {});
      }
    },
    onEvent(e: LiveEvent) {
      if (e.type === "conversation.message" && e.data.alertId === alertId) void load().catch(() => {});
    },
  };
}
