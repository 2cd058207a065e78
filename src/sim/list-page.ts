import { encodeForm, type Form } from "./form.ts";

export interface Page<T> {
  items: T[];
  meta: {
    page: number;
    page_size: number;
    start: number;
    end: number;
    uri: string;
    first_page_uri: string;
    next_page_uri: string | null;
    previous_page_uri: string | null;
  };
}

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

/**
 * Newest first, like Twilio. The page token names the creation sequence of the last record shown, so a
 * page stays stable while new records arrive.
 */
export function pageOf<T extends { seq: number }>(
  candidates: readonly T[],
  matches: (item: T) => boolean,
  query: Form,
  path: string,
): Page<T> {
  const pageSize = clamp(Number(one(query.PageSize) ?? DEFAULT_PAGE_SIZE), 1, MAX_PAGE_SIZE);
  const page = Math.max(0, Math.trunc(Number(one(query.Page) ?? 0)) || 0);
  const token = /^PA\d+$/.test(one(query.PageToken) ?? "") ? Number(one(query.PageToken)!.slice(2)) : Infinity;

  const items: T[] = [];
  let more = false;
  for (let i = candidates.length - 1; i >= 0; i--) {
    const item = candidates[i];
    if (item.seq >= token || !matches(item)) continue;
    if (items.length === pageSize) {
      more = true;
      break;
    }
    items.push(item);
  }

  const filters: Form = {};
  for (const [k, v] of Object.entries(query)) if (k !== "Page" && k !== "PageSize" && k !== "PageToken") filters[k] = v;
  const uriWith = (extra: Record<string, string>) =>
    `${path}?${encodeForm({ ...filters, PageSize: String(pageSize), ...extra })}`;
  const start = page * pageSize;
  return {
    items,
    meta: {
      page,
      page_size: pageSize,
      start,
      end: start + items.length - 1,
      uri: uriWith(token === Infinity ? { Page: String(page) } : { Page: String(page), PageToken: `PA${token}` }),
      first_page_uri: uriWith({ Page: "0" }),
      next_page_uri: more ? uriWith({ Page: String(page + 1), PageToken: `PA${items[items.length - 1].seq}` }) : null,
      previous_page_uri: null,
    },
  };
}

function one(v: string | string[] | undefined): string | undefined {
  return typeof v === "string" ? v : v?.[0];
}

function clamp(n: number, min: number, max: number): number {
  return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.trunc(n))) : DEFAULT_PAGE_SIZE;
}
