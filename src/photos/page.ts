import { createHash } from "node:crypto";

// The page's only style, inline; the CSP allows exactly this text by its hash and nothing from anywhere else.
const STYLE =
  "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:40rem;padding:1rem;line-height:1.4}" +
  "img{display:block;max-width:100%;height:auto;margin:1rem 0}h1{font-size:1.2rem}";
const STYLE_HASH = createHash("sha256").update(STYLE).digest("base64");

/** No script, no request to anyone else, no form, no frame: the image and the style above, from this origin. */
export const PHOTO_PAGE_CSP = [
  "default-src 'none'",
  "img-src 'self'",
  `style-src 'sha256-${STYLE_HASH}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Headers of every answer under /p/: nothing cached, no referrer, not indexed. No cookie is ever set. */
export const PHOTO_PAGE_HEADERS = {
  "content-security-policy": PHOTO_PAGE_CSP,
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "x-robots-tag": "noindex, nofollow",
  "cross-origin-resource-policy": "same-origin",
};

const WORDS = {
  nl: {
    title: "Burgernet",
    photo: "Foto bij deze Burgernet-melding",
    gone: "Deze Burgernet-melding is afgelopen. De foto is verwijderd.",
    missing: "Deze link bestaat niet.",
    call: "Iets gezien? Bel 112 bij direct gevaar, anders 0900-8844.",
  },
  en: {
    title: "Burgernet",
    photo: "Photo with this Burgernet alert",
    gone: "This Burgernet alert has ended. The photo has been deleted.",
    missing: "This link does not exist.",
    call: "Seen something? Call 112 in an emergency, otherwise 0900-8844.",
  },
} as const;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function html(lang: "nl" | "en", body: string): string {
  return (
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer">` +
    `<title>${WORDS[lang].title}</title><style>${STYLE}</style></head><body>${body}</body></html>`
  );
}

/** The alert's text and its photo; the image is addressed relative to the page (`<token>/photo`). */
export function livePage(token: string, language: "nl" | "en", text: string): string {
  const w = WORDS[language];
  return html(
    language,
    `<h1>${escapeHtml(w.photo)}</h1><p>${escapeHtml(text)}</p>` +
      `<img src="${token}/photo" alt="${escapeHtml(w.photo)}"><p>${escapeHtml(w.call)}</p>`,
  );
}

export const gonePage = () => html("nl", `<p>${WORDS.nl.gone}</p><p lang="en">${WORDS.en.gone}</p>`);
export const missingPage = () => html("nl", `<p>${WORDS.nl.missing}</p><p lang="en">${WORDS.en.missing}</p>`);
