/* eslint-disable @typescript-eslint/no-explicit-any -- JSON Schema and JSON values are untyped by nature */
/** Values for the OpenAPI-driven fuzz test: a seeded generator, a sampler for JSON Schema, and hostile values. */

export type Rng = () => number;

/** mulberry32: small, fast and the same sequence for the same seed on every machine. */
export function seeded(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)];
export const chance = (rng: Rng, p: number) => rng() < p;

/** What an attacker types into any field: texts that are not text, numbers and dates out of every range. */
export const HOSTILE: unknown[] = [
  "x".repeat(70_000),
  "\u0000",
  "abc\u0000def",
  "\ud800",
  "a\udc00b",
  "🚲".repeat(300),
  "",
  " ",
  "99999999999999999999",
  "9223372036854775808",
  "-9223372036854775809",
  "1e20",
  "NaN",
  "Infinity",
  "0x10",
  9223372036854775808,
  1e300,
  -1e300,
  -1,
  0,
  2.5,
  Number.MAX_SAFE_INTEGER + 2,
  "9999-12-31T23:59:60Z",
  "10000-01-01T00:00:00Z",
  "+010000-01-01T00:00:00Z",
  "0000-01-01T00:00:00Z",
  "-000001-01-01T00:00:00Z",
  "-271821-04-20T00:00:00.000Z",
  "2024-02-30T00:00:00Z",
  "0001-01-01T00:00:00+01:00",
  "9999-12-31T23:59:59-14:00",
  "' OR 1=1 --",
  "../../../etc/passwd",
  "%00",
  "https://localhost./x",
  true,
  null,
  [],
  [[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]],
  {},
  { $gt: "" },
  "-".repeat(36),
];

/** The same in a query string or a path: already URL-encoded text. */
export const HOSTILE_IN_URL = [
  "%00",
  "a%00b",
  "%ED%A0%80",
  "%ED%B0%80",
  "%F0%9F",
  "%",
  "99999999999999999999",
  "9223372036854775808",
  "1e20",
  "-1",
  "NaN",
  "2.5",
  "9999-12-31T23%3A59%3A60Z",
  "0000-01-01T00%3A00%3A00Z",
  "-271821-04-20T00%3A00%3A00.000Z",
  "x".repeat(5000),
  "",
  "..%2F..%2Fetc",
  "__proto__",
  "constructor",
  LongDashesCursor(),
];

function LongDashesCursor() {
  return Buffer.from(`2024-01-01T00:00:00.000Z|${"-".repeat(36)}`).toString("base64url");
}

/** Sample values for the patterns the schemas use (no regex inversion: the service has few patterns). */
const PATTERN_SAMPLES: [RegExp, string[]][] = [
  [/RE\(0/, ["RE05", "RE07", "RE01"]],
  [/\^GM/, ["GM0363", "GM0014"]],
  [/\[0-9\]\{6\}/, ["123456"]],
  [/\\\+\[1-9\]/, ["+31201234567"]],
  [/\[01\]\[0-9\]/, ["07:30", "22:00"]],
  [/\[a-z_\]/, ["queued", "answered"]],
];

/** A plausible instance of a schema: the base that mutations then break. */
export function sample(rng: Rng, schema: any, resolve: (s: any) => any, depth = 0): unknown {
  schema = resolve(schema) ?? {};
  if (depth > 8) return null;
  if ("const" in schema) return schema.const;
  if (schema.enum) return pick(rng, schema.enum);
  const alt = schema.oneOf ?? schema.anyOf;
  if (alt) return sample(rng, pick(rng, alt), resolve, depth + 1);
  const type = Array.isArray(schema.type) ? pick(rng, schema.type) : schema.type;
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(schema.properties ?? {}))
        if (schema.required?.includes(name) || chance(rng, 0.5)) out[name] = sample(rng, sub, resolve, depth + 1);
      return out;
    }
    case "array": {
      const n = Math.min(schema.maxItems ?? 3, (schema.minItems ?? 0) + Math.floor(rng() * 2));
      const items = Array.from({ length: n }, () => sample(rng, schema.items ?? {}, resolve, depth + 1));
      return schema.uniqueItems ? [...new Map(items.map((i) => [JSON.stringify(i), i])).values()] : items;
    }
    case "integer":
    case "number": {
      const min = schema.minimum ?? 0;
      const max = Math.min(schema.maximum ?? min + 100, min + 1e6);
      const v = min + rng() * (max - min);
      return type === "integer" ? Math.floor(v) : v;
    }
    case "boolean":
      return chance(rng, 0.5);
    case "null":
      return null;
    default:
      return sampleString(rng, schema);
  }
}

function sampleString(rng: Rng, schema: any): string {
  if (schema.format === "uuid") return crypto.randomUUID();
  if (schema.format === "date-time") return new Date(Date.now() - rng() * 86_400_000).toISOString();
  if (schema.pattern) {
    const known = PATTERN_SAMPLES.find(([re]) => re.test(schema.pattern));
    if (known) return pick(rng, known[1]);
  }
  const text = pick(rng, ["Gezocht: man met rode jas", "https://127.0.0.1:9/hook", "1012 AB", "+31612345678", "x"]);
  return text.slice(0, schema.maxLength ?? text.length).padEnd(schema.minLength ?? 0, "x");
}

/** One random change to a JSON value: a leaf replaced, a field removed, a field added, a type swapped. */
export function mutate(rng: Rng, value: unknown, depth = 0): unknown {
  const isObject = value !== null && typeof value === "object" && !Array.isArray(value);
  if (Array.isArray(value) && value.length && chance(rng, 0.7)) {
    const copy = [...value];
    const i = Math.floor(rng() * copy.length);
    copy[i] = mutate(rng, copy[i], depth + 1);
    return copy;
  }
  if (isObject && depth < 6) {
    const copy = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    const roll = rng();
    if (keys.length && roll < 0.6) {
      const k = pick(rng, keys);
      copy[k] = mutate(rng, copy[k], depth + 1);
    } else if (keys.length && roll < 0.75) delete copy[pick(rng, keys)];
    else copy[pick(rng, ["extra", "admin", "region", "id", "\u0000", "constructor"])] = pick(rng, HOSTILE);
    return copy;
  }
  return pick(rng, HOSTILE);
}

/** JSON text with a `__proto__` (or constructor.prototype) key: what JSON.stringify cannot write. */
export function withProtoKey(rng: Rng, value: unknown): string {
  const json = JSON.stringify(value ?? {});
  if (!json.startsWith("{")) return json;
  const poison = pick(rng, [
    '"__proto__":{"role":"admin","region":"RE01"}',
    '"constructor":{"prototype":{"role":"admin"}}',
    '"__proto__":null',
  ]);
  return json === "{}" ? `{${poison}}` : `{${poison},${json.slice(1)}`;
}
