export type Form = Record<string, string | string[]>;

/** application/x-www-form-urlencoded (and query strings): repeated keys become arrays. */
export function parseForm(text: string): Form {
  const out: Form = {};
  if (text === "") return out;
  for (const [key, value] of new URLSearchParams(text)) {
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else if (typeof prev === "string") out[key] = [prev, value];
    else prev.push(value);
  }
  return out;
}

export function encodeForm(params: Readonly<Record<string, string | readonly string[]>>): string {
  const usp = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === "string") usp.append(key, value);
    else for (const v of value) usp.append(key, v);
  }
  return usp.toString();
}

export function one(form: Form, key: string): string | undefined {
  const v = form[key];
  return typeof v === "string" ? v : v?.[0];
}

export function many(form: Form, key: string): string[] {
  const v = form[key];
  if (v === undefined) return [];
  return typeof v === "string" ? [v] : v;
}

export function int(form: Form, key: string): number | undefined {
  const v = one(form, key);
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

export function httpMethod(value: string | undefined): "GET" | "POST" {
  return value?.toUpperCase() === "GET" ? "GET" : "POST";
}
